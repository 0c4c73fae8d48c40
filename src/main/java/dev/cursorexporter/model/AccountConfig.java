package dev.cursorexporter.model;

import dev.cursorexporter.model.BudgetFamily;

import java.net.URI;
import java.util.Map;

/**
 * One Cursor team account.
 *
 * @param name       the {@code account} label value when several accounts are configured; {@code default} otherwise
 * @param apiKey     team Admin API key (from env, YAML {@code api_key} or a key file)
 * @param baseUrl    Cursor API base, default {@code https://api.cursor.com}
 * @param rateLimits this account's own requests per minute per family ({@code accounts[i].rate_limits}), on top of
 *                   {@code sync.rate_limits}; empty = the global limits
 */
public record AccountConfig(String name, Secret apiKey, URI baseUrl, Map<BudgetFamily, Integer> rateLimits) {

    public AccountConfig {
        rateLimits = Map.copyOf(rateLimits);
    }

    /** An account with the global rate limits. */
    public AccountConfig(String name, Secret apiKey, URI baseUrl) {
        this(name, apiKey, baseUrl, Map.of());
    }
}
