package dev.cursorexporter.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The Cursor data sources the exporter polls: the one list. Everything that differs between sources and is not
 * its job (the {@code source} label, whether a team may lack it, whether it is read by day windows and so
 * backfilled, how often it is polled by default) is declared here, so a new source cannot be half-registered.
 * The declaration order is the polling order: members first, so spend and usage rows find their members.
 */
public enum Source {
    MEMBERS("members", Plan.CORE, Reading.SNAPSHOT, Duration.ofHours(1)),
    SPEND("spend", Plan.CORE, Reading.SNAPSHOT, Duration.ofMinutes(15)),
    DAILY_USAGE("daily_usage", Plan.CORE, Reading.DAY_WINDOWS, Duration.ofHours(1)),
    USAGE_EVENTS("usage_events", Plan.CORE, Reading.DAY_WINDOWS, Duration.ofHours(1)),
    /** {@code GET /teams/groups}. */
    BILLING_GROUPS("billing_groups", Plan.ENTERPRISE, Reading.SNAPSHOT, Duration.ofHours(1)),
    /** Team-level Analytics API. */
    ANALYTICS("analytics", Plan.ENTERPRISE, Reading.DAY_WINDOWS, Duration.ofHours(1)),
    /** AI Code Tracking commits. */
    AI_CODE("ai_code", Plan.ENTERPRISE, Reading.DAY_WINDOWS, Duration.ofHours(1)),
    /** {@code GET /teams/audit-logs}: events counted by type. */
    AUDIT_LOGS("audit_logs", Plan.ENTERPRISE, Reading.DAY_WINDOWS, Duration.ofHours(1));

    /** Whether every team key reaches the source, or only teams whose plan includes it. */
    private enum Plan { CORE, ENTERPRISE }

    /** Whether a poll reads the current state, or day windows that are backfilled and kept. */
    private enum Reading { SNAPSHOT, DAY_WINDOWS }

    private static final List<Source> CORE = Arrays.stream(values()).filter(s -> !s.enterprise()).toList();
    private static final List<Source> BACKFILLED =
            Arrays.stream(values()).filter(s -> s.windowed() && !s.enterprise()).toList();

    private final String label;
    private final Plan plan;
    private final Reading reading;
    private final Duration defaultInterval;

    Source(String label, Plan plan, Reading reading, Duration defaultInterval) {
        this.label = label;
        this.plan = plan;
        this.reading = reading;
        this.defaultInterval = defaultInterval;
    }

    /** The {@code source} label value and the name under {@code sync.intervals}. */
    public String label() {
        return label;
    }

    /** Sources a team may lack (plan-gated): 401/403 marks them unavailable instead of failed. */
    public boolean enterprise() {
        return plan == Plan.ENTERPRISE;
    }

    /** Read by day windows: planned from the stored coverage, backfilled, the look-back days read again. */
    public boolean windowed() {
        return reading == Reading.DAY_WINDOWS;
    }

    /** How often the source is polled unless {@code sync.intervals} says otherwise. */
    public Duration defaultInterval() {
        return defaultInterval;
    }

    /**
     * A poll interval for every source: {@code configured}'s, else the source's {@link #defaultInterval()}. The one
     * place that rule lives (configuration, the sync's schedule and the HELP texts all follow it).
     */
    public static Map<Source, Duration> intervals(Map<Source, Duration> configured) {
        Map<Source, Duration> all = new EnumMap<>(Source.class);
        for (Source source : values()) {
            all.put(source, configured.getOrDefault(source, source.defaultInterval()));
        }
        return Collections.unmodifiableMap(all);
    }

    /** The Admin API sources every team key must reach, in polling order. */
    public static List<Source> core() {
        return CORE;
    }

    /** The core sources read by day windows, whose backfill progress is reported. */
    public static List<Source> backfilled() {
        return BACKFILLED;
    }
}
