package dev.cursorexporter.config;

import java.net.URI;

/**
 * One Cursor team account.
 *
 * @param name    the {@code account} label value when several accounts are configured; {@code default} otherwise
 * @param apiKey  team Admin API key (from env, YAML {@code api_key} or a key file)
 * @param baseUrl Cursor API base, default {@code https://api.cursor.com}
 */
public record AccountConfig(String name, Secret apiKey, URI baseUrl) {
}
