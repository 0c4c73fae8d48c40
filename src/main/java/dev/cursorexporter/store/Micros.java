package dev.cursorexporter.store;

import dev.cursorexporter.model.PlainDecimal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as integer micro-units (cents × 10^6 or dollars × 10^6). Integers keep SQL {@code SUM} exact and fast,
 * which TEXT decimals would not (SQLite sums TEXT as binary floats); 10^-6 cent is finer than anything Cursor
 * reports once its float noise ({@code 40.16699999999999}) is rounded away, and a long holds ±92 billion dollars.
 */
final class Micros {

    static final int SCALE = 6;

    private Micros() {
    }

    static long of(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    static Long ofNullable(BigDecimal value) {
        return value == null ? null : of(value);
    }

    /** The exact decimal, without trailing zeros (and never in exponent form such as {@code 1E+2}). */
    static BigDecimal toDecimal(long micros) {
        return PlainDecimal.of(micros, SCALE);
    }
}
