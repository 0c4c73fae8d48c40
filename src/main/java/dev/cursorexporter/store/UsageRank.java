package dev.cursorexporter.store;

import java.math.BigDecimal;

/**
 * What one label value (an e-mail or a model) counts in the usage counters: its cost in USD and its requests,
 * summed over everything else, and how many series it brings. The metrics rank users and models by it.
 *
 * @param keys   rows of {@link StoreReader#usageTotals} it has (the series of {@code cursor_usage_requests})
 * @param models distinct (model, actor) pairs among them (a quarter of its {@code cursor_usage_tokens} series)
 */
public record UsageRank(String key, BigDecimal costUsd, long requests, long keys, long models) {
}
