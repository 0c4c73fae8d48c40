package dev.cursorexporter.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Response faults beyond plain 5xx ({@link SimulatorOptions#errorRate()}): seeded-random fractions of API requests
 * answered 429, cut off mid-JSON, or held back, plus a fixed delay on every answer.
 *
 * @param tooManyRate  fraction answered 429 although the rate limit is not reached (Cursor's "429 on nearly every
 *                     call" episodes, Q2); {@code Retry-After} only with {@link SimulatorOptions#retryAfter()}
 * @param truncateRate fraction whose 200 body is cut in the middle of the JSON
 * @param slowRate     fraction held back by {@code slowDelay} before answering (beyond the client's read timeout)
 * @param slowDelay    how long a slow answer is held back
 * @param latency      added to every answer
 */
public record FaultOptions(double tooManyRate, double truncateRate, double slowRate, Duration slowDelay,
                           Duration latency) {
    public static final FaultOptions NONE = new FaultOptions(0, 0, 0, Duration.ofSeconds(90), Duration.ZERO);

    public FaultOptions {
        requireFraction(tooManyRate, "tooManyRate");
        requireFraction(truncateRate, "truncateRate");
        requireFraction(slowRate, "slowRate");
        requireNonNegative(slowDelay, "slowDelay");
        requireNonNegative(latency, "latency");
    }

    public FaultOptions withTooManyRate(double v) {
        return new FaultOptions(v, truncateRate, slowRate, slowDelay, latency);
    }

    public FaultOptions withTruncateRate(double v) {
        return new FaultOptions(tooManyRate, v, slowRate, slowDelay, latency);
    }

    public FaultOptions withSlowRate(double v) {
        return new FaultOptions(tooManyRate, truncateRate, v, slowDelay, latency);
    }

    public FaultOptions withSlowDelay(Duration v) {
        return new FaultOptions(tooManyRate, truncateRate, slowRate, v, latency);
    }

    public FaultOptions withLatency(Duration v) {
        return new FaultOptions(tooManyRate, truncateRate, slowRate, slowDelay, v);
    }

    private static void requireFraction(double v, String name) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
