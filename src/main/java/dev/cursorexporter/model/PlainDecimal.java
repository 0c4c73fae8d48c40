package dev.cursorexporter.model;

import java.math.BigDecimal;

/**
 * Exact decimals without trailing zeros and never in exponent notation ({@code 1500}, not {@code 1.5E+3}), as
 * the datasource writes amounts. {@link BigDecimal#stripTrailingZeros} divides {@code BigInteger}s to get there;
 * one amount per answer row made that the largest share of what the answers allocated (BENCHMARKS.md, issue 13),
 * so values whose unscaled part fits a {@code long} (every real one) are stripped with long arithmetic.
 */
public final class PlainDecimal {
    private static final int LONG_DIGITS = 18;

    private PlainDecimal() {
    }

    /** {@code unscaled} × 10<sup>−scale</sup> without trailing zeros, scale at least 0. */
    public static BigDecimal of(long unscaled, int scale) {
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        return scale < 0 ? BigDecimal.valueOf(unscaled, scale).setScale(0) : BigDecimal.valueOf(unscaled, scale);
    }

    /** {@code value} without trailing zeros, scale at least 0. */
    public static BigDecimal of(BigDecimal value) {
        if (value.precision() <= LONG_DIGITS) {
            return of(value.unscaledValue().longValueExact(), value.scale());
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
