package dev.cursorexporter.bench;

import dev.cursorexporter.testing.Exposition;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Waits until {@code /metrics} serves a snapshot built after the last successful poll. A rebuild follows every
 * sync job and, for 1,000 members, allocates more than a History board load; a measurement that starts while it
 * still runs times the rebuild (it did: BENCHMARKS.md, issue 13, item 4), and a fixed sleep guesses its length.
 */
final class SnapshotWait {
    private static final String BUILT = "cursor_exporter_snapshot_built_timestamp_seconds";
    private static final String DURATION = "cursor_exporter_snapshot_build_duration_seconds";
    private static final long STABLE_MS = 10_000;
    private static final long TIMEOUT_MS = 600_000;

    private SnapshotWait() {
    }

    /**
     * The snapshot served once it was built after the last poll and no newer one followed for 10 s (after a
     * backfill the Enterprise probes rebuild it one after another, seconds apart).
     */
    static Built await(Loopback http, String base) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        double seen = Double.NaN;
        long seenSince = 0;
        while (System.currentTimeMillis() < deadline) {
            Built now = current(http, base);
            double lastPoll = lastPoll(http, base);
            if (now.builtAtSeconds() >= lastPoll) {
                if (now.builtAtSeconds() != seen) {
                    seen = now.builtAtSeconds();
                    seenSince = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - seenSince >= STABLE_MS) {
                    return now;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no snapshot built after the last poll within " + TIMEOUT_MS / 1000 + " s");
    }

    /** When the served snapshot was built and how long its build took. */
    static Built current(Loopback http, String base) {
        Exposition e = scrape(http, base);
        return new Built(value(e, BUILT).orElse(Double.NaN), value(e, DURATION).orElse(Double.NaN));
    }

    private static double lastPoll(Loopback http, String base) {
        return scrape(http, base).samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                .mapToDouble(Exposition.Sample::value).max().orElse(Double.POSITIVE_INFINITY);
    }

    private static Exposition scrape(Loopback http, String base) {
        return Exposition.parse(new String(http.get(base + "/metrics"), StandardCharsets.UTF_8));
    }

    private static OptionalDouble value(Exposition e, String name) {
        List<Exposition.Sample> samples = e.samples(name);
        return samples.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(samples.get(0).value());
    }

    record Built(double builtAtSeconds, double buildSeconds) {
    }
}
