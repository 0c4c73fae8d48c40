package dev.cursorexporter.query;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The shares the boards show, with the smallest denominators they are shown for: a share of one tab or three
 * lines is noise that reads as 100 %, so below these it is null (Grafana shows "-"), never NaN or Infinity.
 */
public final class Ratios {
    /** Lines added below which the AI share of lines is not stated. */
    public static final long MIN_LINES = 100;
    /** Tab completions shown below which the acceptance rate is not stated. */
    public static final long MIN_TABS_SHOWN = 50;
    /** Tokens below which the cost per million tokens is not stated. */
    public static final long MIN_TOKENS = 10_000;
    private static final int SCALE = 4;

    private Ratios() {
    }

    /** {@code part / whole} rounded to four decimals, or null when {@code whole < min}. */
    public static BigDecimal share(long part, long whole, long min) {
        if (whole < min || whole <= 0) {
            return null;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), SCALE, RoundingMode.HALF_EVEN);
    }

    /** USD per million tokens, to the cent-hundredth, or null below {@link #MIN_TOKENS}. */
    public static BigDecimal costPerMillionTokens(BigDecimal costUsd, long tokens) {
        if (tokens < MIN_TOKENS) {
            return null;
        }
        return costUsd.multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(tokens), SCALE,
                RoundingMode.HALF_EVEN);
    }
}
