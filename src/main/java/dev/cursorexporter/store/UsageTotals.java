package dev.cursorexporter.store;

import dev.cursorexporter.model.BillingClass;

import java.math.BigDecimal;

/** Sums over stored usage events of one (e-mail, model, billing class); e-mail "" = events without one. */
public record UsageTotals(String email, String model, BillingClass billing, long requests, BigDecimal costCents,
                          long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
}
