package dev.cursorexporter.cursor;

import dev.cursorexporter.model.BudgetFamily;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Client-side pacing for one Cursor account, shared by every client and job of that account, so the exporter stays
 * under Cursor's per-team limits instead of discovering them through 429s (REFERENCE.md §1.7, Q2).
 *
 * <p>Each family (or, for {@link BudgetFamily#perEndpoint()} families, each endpoint) allows at most {@code n}
 * requests in any interval of one window plus a 5 % margin: a sliding window, because Cursor's fixed one-minute
 * windows are not aligned with ours, and a token bucket of {@code n} per minute could send nearly {@code 2n} inside
 * one of them. The margin absorbs network delay between our send and the server's count. Callers reserve a slot
 * under a lock and sleep outside it, so concurrent callers queue fairly without holding each other up.
 */
public final class RateBudget {
    private static final RateBudget UNLIMITED =
            new RateBudget(Map.of(), Duration.ofMinutes(1), System::nanoTime, Sleeper.SYSTEM);

    private final Map<BudgetFamily, Integer> limits;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();

    /**
     * @param limits   requests per window by family; a family left out is not paced
     * @param window   Cursor's window (one minute); tests scale it down together with the simulator's
     * @param nanoTime monotonic time, {@code System::nanoTime} outside tests
     * @param sleeper  how to wait for a slot
     */
    public RateBudget(Map<BudgetFamily, Integer> limits, Duration window, LongSupplier nanoTime, Sleeper sleeper) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.limits = new EnumMap<>(BudgetFamily.class);
        limits.forEach((family, n) -> {
            if (n < 1) {
                throw new IllegalArgumentException(family.key() + " budget must be at least 1, was " + n);
            }
            this.limits.put(family, n);
        });
        this.windowNanos = window.toNanos() + window.toNanos() / 20;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Real time, one-minute windows, the given requests per minute. */
    public static RateBudget perMinute(Map<BudgetFamily, Integer> limits) {
        return new RateBudget(limits, Duration.ofMinutes(1), System::nanoTime, Sleeper.SYSTEM);
    }

    /** Never waits; for tools and tests that do not talk to a rate-limited server. */
    public static RateBudget unlimited() {
        return UNLIMITED;
    }

    /** The requests per window allowed for {@code family}, or 0 when it is not paced. */
    public int limit(BudgetFamily family) {
        return limits.getOrDefault(family, 0);
    }

    /**
     * Takes one request from the budget of {@code path}'s family, waiting until the request may go.
     *
     * @return how long it waited
     * @throws InterruptedException when interrupted while waiting (the slot stays used)
     */
    public Duration acquire(String path) throws InterruptedException {
        BudgetFamily family = BudgetFamily.of(path);
        Integer n = limits.get(family);
        if (n == null) {
            return Duration.ZERO;
        }
        String key = family.perEndpoint() ? family.key() + " " + path : family.key();
        Pacer pacer = pacers.computeIfAbsent(key, k -> new Pacer(n));
        long[] nowAndAt = pacer.reserve(nanoTime, windowNanos);
        long waitNanos = nowAndAt[1] - nowAndAt[0];
        if (waitNanos <= 0) {
            return Duration.ZERO;
        }
        Duration wait = Duration.ofNanos(waitNanos);
        sleeper.sleep(wait);
        return wait;
    }

    /** The send times of the last n requests, oldest overwritten first. */
    private static final class Pacer {
        private final long[] sendTimes;
        private int next;
        private int used;

        Pacer(int n) {
            this.sendTimes = new long[n];
        }

        /**
         * Records the earliest send time at or after now such that no window holds more than n sends. Time is read
         * under the lock so that recorded times never decrease and the overwritten slot is always the oldest.
         *
         * @return {now, send time}
         */
        synchronized long[] reserve(LongSupplier nanoTime, long windowNanos) {
            long now = nanoTime.getAsLong();
            long at = now;
            if (used == sendTimes.length) {
                // sendTimes[next] is the n-th send before this one; this one must be a full window after it
                at = Math.max(now, sendTimes[next] + windowNanos);
            } else {
                used++;
            }
            sendTimes[next] = at;
            next = (next + 1) % sendTimes.length;
            return new long[] {now, at};
        }
    }
}
