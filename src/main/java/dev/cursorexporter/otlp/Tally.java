package dev.cursorexporter.otlp;

import java.util.Map;
import java.util.TreeMap;

/**
 * What decoding one request left out: items rejected (answered in OTLP partial success, never re-sent by Cursor)
 * with the first reason, and items tolerated but not counted, by reason. Used by one thread.
 */
final class Tally {
    private long rejected;
    private String firstRejection = "";
    private final Map<String, Long> ignored = new TreeMap<>();

    void reject(String why) {
        if (rejected++ == 0) {
            firstRejection = why;
        }
    }

    void ignore(String reason, long items) {
        if (items > 0) {
            ignored.merge(reason, items, Long::sum);
        }
    }

    long rejected() {
        return rejected;
    }

    /** The partial-success message: how many, and why the first was. */
    String message() {
        return rejected == 0 ? "" : rejected + " rejected; the first because " + firstRejection;
    }

    Map<String, Long> ignored() {
        return ignored;
    }
}
