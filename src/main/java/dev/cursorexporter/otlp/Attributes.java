package dev.cursorexporter.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The attributes of one OTLP resource, data point or log record, read by key. Cursor documents each attribute's
 * type, but adds attributes and may change a type without a version bump, so a scalar is read whatever type it
 * came as (an int id as a string, a numeric string as a number) rather than refused.
 */
final class Attributes {
    private final Map<String, AnyValue> values;

    private Attributes(Map<String, AnyValue> values) {
        this.values = values;
    }

    static Attributes of(List<KeyValue> list) {
        Map<String, AnyValue> values = new HashMap<>(list.size() * 2);
        for (KeyValue kv : list) {
            values.putIfAbsent(kv.getKey(), kv.getValue());
        }
        return new Attributes(values);
    }

    /** The keys not in {@code known}: what the receiver tolerates without reading. */
    long unknown(java.util.Set<String> known) {
        return values.keySet().stream().filter(k -> !known.contains(k)).count();
    }

    /** A scalar as a string; {@code ""} when absent or not a scalar. */
    String string(String key) {
        AnyValue v = values.get(key);
        if (v == null) {
            return "";
        }
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue().strip();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> "";
        };
    }

    /** A whole non-negative number; empty when absent, negative or not a number. */
    OptionalLong count(String key) {
        AnyValue v = values.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        long n;
        switch (v.getValueCase()) {
            case INT_VALUE -> n = v.getIntValue();
            case DOUBLE_VALUE -> {
                double d = v.getDoubleValue();
                if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 1e15) {
                    return OptionalLong.empty();
                }
                n = (long) d;
            }
            case STRING_VALUE -> {
                try {
                    n = Long.parseLong(v.getStringValue().strip());
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
            default -> {
                return OptionalLong.empty();
            }
        }
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** {@code string(key)}, or {@code fallback} when that is empty. */
    String stringOr(String key, String fallback) {
        String s = string(key);
        return s.isEmpty() ? fallback : s;
    }
}
