package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;

/**
 * Tolerant readers for Cursor's drifting JSON (REFERENCE.md §6): a field may be absent, JSON null, {@code ""}
 * (Q8), a number where a string was documented or the other way round (Q9, §1.5). Each reader returns null (or
 * the stated default) instead of failing, because a single odd field must not lose a whole page.
 */
final class JsonFields {
    private JsonFields() {
    }

    /** Text of a string, number or boolean field; null when absent, null, {@code ""} or a container. */
    static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String value = node.isTextual() ? node.textValue() : node.asText();
        return value.isEmpty() ? null : value;
    }

    /** {@link #text} or {@code fallback}. */
    static String text(JsonNode parent, String field, String fallback) {
        String value = text(parent, field);
        return value == null ? fallback : value;
    }

    /** Trimmed, lower-cased e-mail; null when absent or blank. */
    static String email(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed.toLowerCase(Locale.ROOT);
    }

    /** Exact decimal of a number or numeric string; null when absent, null, {@code ""} or not numeric. */
    static BigDecimal decimal(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            String value = node.textValue().trim();
            if (value.isEmpty()) {
                return null;
            }
            try {
                return new BigDecimal(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** {@link #decimal} or {@code fallback}. */
    static BigDecimal decimal(JsonNode parent, String field, BigDecimal fallback) {
        BigDecimal value = decimal(parent, field);
        return value == null ? fallback : value;
    }

    /**
     * A count for pagination fields; 0 when absent, null, not numeric, fractional or beyond a long (REFERENCE.md:
     * missing numbers are 0). Row values are read through {@link RowCheck}, which refuses such values instead.
     */
    static long count(JsonNode parent, String field) {
        BigDecimal value = decimal(parent, field);
        if (value == null) {
            return 0;
        }
        try {
            return value.longValueExact(); // longValue() would wrap 2^63 to a negative number
        } catch (ArithmeticException e) {
            return 0;
        }
    }

    /** A boolean, also from {@code "true"}/{@code "false"} or 0/1; null when absent or unreadable. */
    static Boolean bool(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.decimalValue().signum() != 0;
        }
        if (node.isTextual()) {
            String value = node.textValue().trim();
            if (value.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (value.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    static boolean bool(JsonNode parent, String field, boolean fallback) {
        Boolean value = bool(parent, field);
        return value == null ? fallback : value;
    }

    /**
     * An instant sent as epoch milliseconds (number or numeric string, §1.5) or, for robustness, ISO-8601 text;
     * null when absent, {@code ""} or unreadable.
     */
    static Instant instant(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isNumber()) {
                return Instant.ofEpochMilli(node.decimalValue().longValueExact());
            }
            if (node.isTextual()) {
                String value = node.textValue().trim();
                if (value.isEmpty()) {
                    return null;
                }
                if (value.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
                    return Instant.ofEpochMilli(Long.parseLong(value));
                }
                return Instant.parse(value);
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeException e) {
            return null;
        }
        return null;
    }
}
