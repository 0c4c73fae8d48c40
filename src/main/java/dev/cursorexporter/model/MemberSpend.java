package dev.cursorexporter.model;

import java.math.BigDecimal;

/**
 * One entry of {@code teamMemberSpend[]} from {@code POST /teams/spend} (current billing cycle only).
 * Handles both shapes (Q6): before spring 2026 {@code spendCents} was the whole spend and
 * {@code includedSpendCents} existed; since then {@code overallSpendCents} is the whole spend and
 * {@code spendCents} is on-demand only.
 *
 * @param spendCents                   0 when absent
 * @param overallSpendCents            null when absent (old shape)
 * @param includedSpendCents           null when absent (new shape)
 * @param monthlyLimitDollars          null when the member has no limit
 * @param hardLimitOverrideDollars     null when absent; 0 means none
 * @param effectivePerUserLimitDollars null when absent
 */
public record MemberSpend(String userId, String email, String name, String role,
                          BigDecimal spendCents, BigDecimal overallSpendCents, BigDecimal includedSpendCents,
                          BigDecimal monthlyLimitDollars, BigDecimal hardLimitOverrideDollars,
                          BigDecimal effectivePerUserLimitDollars) {

    public MemberSpend {
        if (spendCents == null) {
            spendCents = BigDecimal.ZERO;
        }
    }

    /** This cycle's whole spend: {@code overallSpendCents} if present, else {@code spendCents}. */
    public BigDecimal cycleSpendCents() {
        return overallSpendCents != null ? overallSpendCents : spendCents;
    }

    /**
     * On-demand part: {@code spendCents} when {@code overallSpendCents} exists, else
     * {@code spendCents − includedSpendCents} (missing included counts 0), never below 0.
     */
    public BigDecimal onDemandSpendCents() {
        if (overallSpendCents != null) {
            return spendCents;
        }
        BigDecimal included = includedSpendCents == null ? BigDecimal.ZERO : includedSpendCents;
        return spendCents.subtract(included).max(BigDecimal.ZERO);
    }

    /**
     * The limit that applies to this member in dollars, or null when none: the effective limit when Cursor
     * reports it, else a non-zero hard override, else the monthly limit.
     */
    public BigDecimal effectiveLimitDollars() {
        if (effectivePerUserLimitDollars != null) {
            return effectivePerUserLimitDollars.signum() > 0 || monthlyLimitDollars != null
                    ? effectivePerUserLimitDollars : null;
        }
        if (hardLimitOverrideDollars != null && hardLimitOverrideDollars.signum() > 0) {
            return hardLimitOverrideDollars;
        }
        return monthlyLimitDollars;
    }
}
