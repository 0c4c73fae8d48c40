package dev.cursorexporter.simulator;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Cursor's per-team limits: a fixed one-minute window per endpoint family (REFERENCE.md §1.7). Windows are aligned
 * to whole windows of the injected clock; tests may shorten the window. Rejected requests do not use up the budget.
 */
final class RateLimiter {
    enum Family {
        /** members, daily usage, spend */
        ADMIN,
        /** filtered usage events */
        USAGE_EVENTS,
        /** team-level Analytics API (Cursor: 100/min) */
        ANALYTICS,
        /** AI Code Tracking commits (Cursor: 20/min per endpoint) */
        AI_CODE_COMMITS
    }

    private static final int ANALYTICS_PER_MINUTE = 100;
    private static final int AI_CODE_PER_MINUTE = 20;

    private final Clock clock;
    private final long windowMs;
    private final boolean enabled;
    private final Map<Family, Integer> limits;
    private final Map<Family, long[]> windows = new EnumMap<>(Family.class);

    RateLimiter(Clock clock, boolean enabled, int adminPerMinute, int eventsPerMinute) {
        this(clock, 60_000, enabled, adminPerMinute, eventsPerMinute);
    }

    RateLimiter(Clock clock, long windowMs, boolean enabled, int adminPerMinute, int eventsPerMinute) {
        this.clock = clock;
        this.windowMs = windowMs;
        this.enabled = enabled;
        this.limits = new EnumMap<>(Family.class);
        limits.put(Family.ADMIN, adminPerMinute);
        limits.put(Family.USAGE_EVENTS, eventsPerMinute);
        limits.put(Family.ANALYTICS, ANALYTICS_PER_MINUTE);
        limits.put(Family.AI_CODE_COMMITS, AI_CODE_PER_MINUTE);
        for (Family f : Family.values()) {
            windows.put(f, new long[] {Long.MIN_VALUE, 0}); // {window index, requests in it}
        }
    }

    /**
     * Takes one request from the family's budget.
     *
     * @return empty when allowed, else the whole seconds (at least 1) until the window resets
     */
    synchronized OptionalLong acquire(Family family) {
        if (!enabled) {
            return OptionalLong.empty();
        }
        long now = clock.millis();
        long window = Math.floorDiv(now, windowMs);
        long[] state = windows.get(family);
        if (state[0] != window) {
            state[0] = window;
            state[1] = 0;
        }
        if (state[1] >= limits.get(family)) {
            long resetInMs = (window + 1) * windowMs - now;
            return OptionalLong.of(Math.max(1, (resetInMs + 999) / 1000));
        }
        state[1]++;
        return OptionalLong.empty();
    }
}
