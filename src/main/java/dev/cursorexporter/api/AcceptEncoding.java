package dev.cursorexporter.api;

import java.util.Locale;

/** The one question {@code /metrics} asks of an {@code Accept-Encoding} header (RFC 9110, 12.5.3). */
final class AcceptEncoding {
    private AcceptEncoding() {
    }

    /** Whether {@code gzip} (or {@code *}) is listed with a weight above zero. */
    static boolean allowsGzip(String header) {
        if (header == null) {
            return false;
        }
        for (String item : header.split(",")) {
            String[] params = item.split(";");
            String coding = params[0].strip().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
                return weight(params) > 0;
            }
        }
        return false;
    }

    private static double weight(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0; // a malformed weight: do not guess
                }
            }
        }
        return 1;
    }
}
