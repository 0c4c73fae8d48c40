package dev.cursorexporter.logging;

/**
 * logfmt's quoting, as go-logfmt writes it (the format Prometheus' exporters log in): a value is bare unless it is
 * empty or holds a space, {@code =}, {@code "} or a control character; quoted values escape {@code \}, {@code "} and
 * control characters, so that every event stays on one line whatever a message or a stack trace contains.
 */
final class Logfmt {
    private Logfmt() {
    }

    /** {@code key=value} appended to {@code out}, with a space before it unless it is the first pair. */
    static void pair(StringBuilder out, String key, Object value) {
        if (!out.isEmpty()) {
            out.append(' ');
        }
        out.append(key(key)).append('=');
        value(out, value == null ? "" : String.valueOf(value));
    }

    /** A key as logfmt allows it: no space, {@code =}, {@code "} or control character (replaced by {@code _}). */
    static String key(String key) {
        if (key == null || key.isEmpty()) {
            return "_";
        }
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out.append(c <= ' ' || c == '=' || c == '"' || c == 0x7f ? '_' : c);
        }
        return out.toString();
    }

    static void value(StringBuilder out, String value) {
        if (!needsQuotes(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }
}
