package dev.cursorexporter.simulator;

import java.util.OptionalInt;
import java.util.SplittableRandom;

/** Answers a seeded-random fraction of API requests with 500, 502 or 503. */
final class FaultInjector {
    private static final int[] STATUSES = {500, 502, 503};

    private final double errorRate;
    private final SplittableRandom random;

    FaultInjector(double errorRate, long seed) {
        this.errorRate = errorRate;
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** The status to fail this request with, or empty to serve it. */
    synchronized OptionalInt nextFault() {
        if (errorRate <= 0 || random.nextDouble() >= errorRate) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(STATUSES[random.nextInt(STATUSES.length)]);
    }
}
