package dev.cursorexporter.api;

import java.util.Arrays;
import java.util.List;

/** Comma lists as the datasource endpoints accept them. */
final class Lists {
    private Lists() {
    }

    /**
     * {@code "a, b,,c"} → {@code [a, b, c]}; Grafana's multi-value form {@code {a,b}} too. Blank items are
     * dropped, so an empty value means "no restriction".
     */
    static List<String> commaSeparated(String value) {
        String v = value.strip();
        if (v.length() >= 2 && v.startsWith("{") && v.endsWith("}")) {
            v = v.substring(1, v.length() - 1);
        }
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
