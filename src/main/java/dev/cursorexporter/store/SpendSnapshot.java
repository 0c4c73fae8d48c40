package dev.cursorexporter.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The last spend report of one UTC day for one member (Cursor keeps no spend history, so the store does).
 *
 * @param cycleStart   {@code subscriptionCycleStart} of that report, or null
 * @param limitDollars effective per-user limit, or null
 * @param fetchedAt    when that report was fetched
 */
public record SpendSnapshot(LocalDate day, String email, String userId, Instant cycleStart,
                            BigDecimal cycleSpendCents, BigDecimal onDemandSpendCents, BigDecimal limitDollars,
                            Instant fetchedAt) {
}
