package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * Reads the numbers of one upstream row against their valid ranges and remembers the first problem, so a row with
 * a negative, absurd or unreadable value is refused as a whole (its other figures could not be trusted either).
 * The magnitude is judged from {@link BigDecimal#precision()} and {@link BigDecimal#scale()} before anything
 * expands the value: {@code 1e999999999} costs nothing to refuse, while {@code toPlainString()} would allocate a
 * gigabyte.
 *
 * <p>Valid ranges (README, "Bad upstream rows"): every count and amount is a finite number &ge; 0 with at most
 * {@value #MAX_SCALE} decimals; per row at most {@link #MAX_COUNT} for a count (tokens of one event, lines of one
 * member-day), {@link #MAX_EVENT_CENTS} cents for one usage event, {@link #MAX_SPEND_CENTS} cents for one member's
 * cycle spend, {@link #MAX_LIMIT_DOLLARS} dollars for a spend limit. Missing numbers are 0 (or absent), as before.
 */
final class RowCheck {
    static final int MAX_SCALE = 20;
    static final long MAX_COUNT = 10_000_000_000L;
    static final BigDecimal MAX_EVENT_CENTS = BigDecimal.valueOf(100_000_000L);
    static final BigDecimal MAX_SPEND_CENTS = BigDecimal.valueOf(1_000_000_000_000L);
    static final BigDecimal MAX_LIMIT_DOLLARS = BigDecimal.valueOf(10_000_000_000L);
    private static final BigDecimal MAX_COUNT_DECIMAL = BigDecimal.valueOf(MAX_COUNT);

    private final String key;
    private String reason;
    private String detail;

    /** @param key the row's key fields for the log line, e.g. {@code timestamp=1767225600000 model=gpt-5} */
    RowCheck(String key) {
        this.key = key;
    }

    /** A count: 0 when absent or null, the first problem remembered (and 0 returned) otherwise. */
    long count(JsonNode row, String field) {
        BigDecimal value = number(row, field, MAX_COUNT_DECIMAL);
        if (value == null) {
            return 0;
        }
        if (value.stripTrailingZeros().scale() > 0) {
            fail(Rejection.MALFORMED, field, value.toPlainString());
            return 0;
        }
        return value.longValueExact();
    }

    /** An amount: null when absent, null or {@code ""}; the first problem remembered (and null returned). */
    BigDecimal amount(JsonNode row, String field, BigDecimal max) {
        return number(row, field, max);
    }

    /** {@link #amount} or {@code fallback} when absent. */
    BigDecimal amount(JsonNode row, String field, BigDecimal max, BigDecimal fallback) {
        BigDecimal value = amount(row, field, max);
        return value == null ? fallback : value;
    }

    /** Records a problem found by the caller (a window or day check). */
    void reject(String reason, String what) {
        if (this.reason == null) {
            this.reason = reason;
            this.detail = key + " " + what;
        }
    }

    boolean failed() {
        return reason != null;
    }

    Rejection rejection() {
        return new Rejection(reason, detail);
    }

    private BigDecimal number(JsonNode row, String field, BigDecimal max) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull() || node.isTextual() && node.textValue().isBlank()) {
            return null;
        }
        BigDecimal value = JsonFields.decimal(row, field);
        if (value == null) {
            fail(Rejection.MALFORMED, field, clip(node.toString()));
            return null;
        }
        if (value.signum() < 0) {
            fail(Rejection.NEGATIVE, field, value);
            return null;
        }
        // integer digits = precision - scale; compared before any operation that expands the value
        if (value.scale() > MAX_SCALE) {
            fail(Rejection.MALFORMED, field, "a value with " + value.scale() + " decimals");
            return null;
        }
        if ((long) value.precision() - value.scale() > max.precision() || value.compareTo(max) > 0) {
            fail(Rejection.TOO_LARGE, field, (long) value.precision() - value.scale() > 30
                    ? "a value of " + (value.precision() - value.scale()) + " digits" : value.toPlainString());
            return null;
        }
        return value;
    }

    private void fail(String reason, String field, Object value) {
        reject(reason, field + "=" + value);
    }

    private static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
