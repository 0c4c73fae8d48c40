package dev.cursorexporter.store;

import java.math.BigDecimal;

/**
 * Current-cycle spend of one member, in cents, already interpreted (see
 * {@link dev.cursorexporter.model.MemberSpend}).
 *
 * @param limitDollars effective per-user limit in dollars, or null when the member has none
 */
public record StoredSpend(String email, String userId, BigDecimal cycleSpendCents, BigDecimal onDemandSpendCents,
                          BigDecimal limitDollars) {
}
