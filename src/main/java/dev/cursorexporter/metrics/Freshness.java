package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Source;

import java.time.Duration;
import java.util.Map;

/**
 * How fresh a figure is, in the words of a HELP text, from the poll intervals in force ({@code sync.intervals},
 * else each source's default), so a HELP text never says "hourly" of a source polled every 5 minutes.
 */
final class Freshness {
    private final Map<Source, Duration> intervals;

    /** @param intervals poll interval per source; a source not listed is polled at its default interval */
    Freshness(Map<Source, Duration> intervals) {
        this.intervals = Source.intervals(intervals);
    }

    /** Every source at its default interval. */
    static Freshness defaults() {
        return new Freshness(Map.of());
    }

    /** E.g. {@code refreshed after each usage_events poll (hourly)}. */
    String afterPoll(Source source) {
        return "refreshed after each " + poll(source);
    }

    /** E.g. {@code usage_events poll (every 15 minutes)}. */
    String poll(Source source) {
        return source.label() + " poll (" + every(source) + ")";
    }

    /** E.g. {@code hourly}, {@code every 15 minutes}. */
    String every(Source source) {
        return words(intervals.get(source));
    }

    /** {@code daily}, {@code hourly}, {@code every minute}, or {@code every N days|hours|minutes|seconds}. */
    static String words(Duration interval) {
        long s = interval.getSeconds();
        if (s > 0 && s % 86_400 == 0) {
            return s == 86_400 ? "daily" : "every " + s / 86_400 + " days";
        }
        if (s > 0 && s % 3_600 == 0) {
            return s == 3_600 ? "hourly" : "every " + s / 3_600 + " hours";
        }
        if (s > 0 && s % 60 == 0) {
            return s == 60 ? "every minute" : "every " + s / 60 + " minutes";
        }
        return s == 1 ? "every second" : "every " + s + " seconds";
    }
}
