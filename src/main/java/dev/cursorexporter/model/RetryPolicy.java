package dev.cursorexporter.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Cursor client retries one page: 429, 5xx, 408, timeouts, I/O errors and malformed JSON are retried
 * up to {@code maxAttempts} exchanges in all; other statuses fail at once.
 *
 * @param maxAttempts total exchanges per page, first one included (1 = never retry)
 * @param baseDelay   backoff before the first retry; doubles on each further retry
 * @param maxBackoff  cap of the computed backoff
 * @param maxWait     cap of any single wait, {@code Retry-After} included
 * @param jitter      fraction in [0, 1] by which a backoff is randomly shortened, so several exporters hit by the
 *                    same rate-limit window do not retry in lockstep; 0 makes backoff exact
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxBackoff, Duration maxWait,
                          double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        requireNonNegative(baseDelay, "baseDelay");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxWait, "maxWait");
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
        }
    }

    /** 5 attempts, 1 s doubling to 30 s, any wait at most 120 s, up to 25 % jitter (docs suggest 1,2,4,8,16 s). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(120), 0.25);
    }

    /**
     * Backoff before retry number {@code retry} (1 = first retry).
     *
     * @param random a value in [0, 1) that picks the jitter
     */
    public Duration backoff(int retry, double random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1, was " + retry);
        }
        long capMs = maxBackoff.toMillis();
        long exponent = Math.min(retry - 1, 30);
        long ms = Math.min(capMs, multiplyCapped(baseDelay.toMillis(), 1L << exponent));
        double factor = 1.0 - jitter * Math.min(Math.max(random, 0.0), 1.0);
        return capWait(Duration.ofMillis(Math.round(ms * factor)));
    }

    /** {@code wait} limited to [0, maxWait]. */
    public Duration capWait(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    private static long multiplyCapped(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
