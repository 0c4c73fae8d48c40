package dev.cursorexporter.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Cursor reports money in cents ({@code priceCents}, {@code spendCents}, {@code chargedCents}); metrics, the
 * datasource and budgets speak dollars. The conversion lives here once, exact: {@link BigDecimal} throughout, no
 * binary floats, so a month of spend summed from events equals Cursor's figure to the cent.
 */
public final class Money {
    private static final BigDecimal CENTS_PER_USD = BigDecimal.valueOf(100);

    private Money() {
    }

    /** Dollars for {@code cents}, exact (a shift of the decimal point). */
    public static BigDecimal usd(BigDecimal cents) {
        return cents.divide(CENTS_PER_USD);
    }

    /** Dollars for {@code cents} without trailing zeros, never in exponent notation (see {@link PlainDecimal}). */
    public static BigDecimal usdPlain(BigDecimal cents) {
        return PlainDecimal.of(cents.movePointLeft(2));
    }

    /** Dollars per day for {@code cents} over {@code days}, to 10 decimal places. */
    public static BigDecimal usdPerDay(BigDecimal cents, int days) {
        return cents.divide(CENTS_PER_USD.multiply(BigDecimal.valueOf(days)), 10, RoundingMode.HALF_EVEN);
    }
}
