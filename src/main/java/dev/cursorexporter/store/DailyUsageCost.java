package dev.cursorexporter.store;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Usage-event sums of one day and group (from the rollup). A dimension not grouped by is null.
 *
 * @param requests events counted with their multiplicity
 */
public record DailyUsageCost(LocalDate day, String account, String email, String model,
                             String billing, long requests,
                             BigDecimal costCents, long inputTokens, long outputTokens, long cacheReadTokens,
                             long cacheWriteTokens) {
}
