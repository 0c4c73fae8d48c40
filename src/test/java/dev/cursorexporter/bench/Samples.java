package dev.cursorexporter.bench;

import java.util.Arrays;

/** Durations of repeated runs of one thing, in nanoseconds; nearest-rank percentiles. */
final class Samples {
    private long[] values = new long[16];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** The p-th percentile (0 < p <= 100), nearest rank. */
    long percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size);
        return sorted[Math.max(0, rank - 1)];
    }

    long median() {
        return percentile(50);
    }

    static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }
}
