package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A member's cycle spend as the chosen profile reports it. docs-latest: fractional cents (6 decimals, like the
 * live values since June 2026). observed-2026-01: whole cents, as before June 2026.
 *
 * @param cycleSpendCents whole cycle: {@code overallSpendCents} (docs-latest) or {@code spendCents} (observed)
 * @param onDemandCents   on-demand part: {@code spendCents} (docs-latest) or {@code spendCents - includedSpendCents}
 * @param includedCents   {@code cycleSpendCents - onDemandCents}; sent as {@code includedSpendCents} (observed only)
 */
record SpendFigures(BigDecimal cycleSpendCents, BigDecimal onDemandCents, BigDecimal includedCents) {

    static SpendFigures of(Profile profile, UsageModel.ExactSpend exact) {
        int scale = profile == Profile.DOCS_LATEST ? 6 : 0;
        BigDecimal cycle = plain(exact.overallCents().setScale(scale, RoundingMode.HALF_UP));
        BigDecimal onDemand = plain(exact.onDemandCents().setScale(scale, RoundingMode.HALF_UP));
        return new SpendFigures(cycle, onDemand, plain(cycle.subtract(onDemand)));
    }

    /** Drops trailing zeros without switching to an exponent ({@code 6100}, not {@code 6.1E+3}). */
    static BigDecimal plain(BigDecimal v) {
        BigDecimal stripped = v.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
