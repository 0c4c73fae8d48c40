package dev.cursorexporter.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cursor's rate-limit families (REFERENCE.md §1.7): each has its own per-team, per-minute limit. {@link #key()} is
 * the YAML name under {@code sync.rate_limits}.
 */
public enum BudgetFamily {
    /** members, spend, daily usage, audit logs, billing groups: 20/min together */
    ADMIN(20, false),
    /** {@code /teams/filtered-usage-events}: 60/min */
    USAGE_EVENTS(60, false),
    /** {@code /analytics/team/*}: 100/min */
    ANALYTICS_TEAM(100, false),
    /** {@code /analytics/by-user/*}: 50/min */
    ANALYTICS_BY_USER(50, false),
    /** {@code /analytics/ai-code/*}: 20/min for each endpoint on its own */
    AI_CODE(20, true);

    private final int publishedPerMinute;
    private final boolean perEndpoint;

    BudgetFamily(int publishedPerMinute, boolean perEndpoint) {
        this.publishedPerMinute = publishedPerMinute;
        this.perEndpoint = perEndpoint;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Cursor's documented limit per minute. */
    public int publishedPerMinute() {
        return publishedPerMinute;
    }

    /**
     * What the exporter allows itself by default: 90 % of the published limit, rounded down, so that requests from
     * another tool on the same key, clock skew and the server's window alignment leave room before a 429.
     */
    public int defaultPerMinute() {
        return publishedPerMinute * 9 / 10;
    }

    /** {@link #defaultPerMinute()} for every family. */
    public static Map<BudgetFamily, Integer> defaultLimits() {
        Map<BudgetFamily, Integer> out = new EnumMap<>(BudgetFamily.class);
        for (BudgetFamily f : values()) {
            out.put(f, f.defaultPerMinute());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Whether each endpoint of the family has its own budget (AI Code Tracking) rather than one shared. */
    public boolean perEndpoint() {
        return perEndpoint;
    }

    /** The family a Cursor path belongs to; paths not listed elsewhere are Admin API. */
    public static BudgetFamily of(String path) {
        if (path.startsWith("/teams/filtered-usage-events") || path.startsWith("/organizations/filtered-usage-events")) {
            return USAGE_EVENTS;
        } else if (path.startsWith("/analytics/ai-code/")) {
            return AI_CODE;
        } else if (path.startsWith("/analytics/by-user/")) {
            return ANALYTICS_BY_USER;
        } else if (path.startsWith("/analytics/")) {
            return ANALYTICS_TEAM;
        }
        return ADMIN;
    }

    public static Optional<BudgetFamily> fromKey(String key) {
        for (BudgetFamily f : values()) {
            if (f.key().equals(key)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
