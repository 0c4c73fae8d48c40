package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of {@link OtelExport} pushes adds up to, keyed as the receiver's metrics are labelled (user as the
 * member's e-mail or {@link #UNKNOWN}, {@code cache_creation} as {@code cache_write}; the MCP server
 * {@code none} for built-in tools). Sums of several windows with {@link #plus}.
 *
 * @param tokens        (user, model, token type, surface) → tokens
 * @param costUsd       (user, model, surface) → estimated USD
 * @param dailyCostUsd  (UTC day of the data points' time as YYYY-MM-DD, user) → estimated USD: what the receiver
 *                      keeps per day
 * @param toolCalls     (surface, tool kind, tool, status, MCP server) → calls
 * @param logEvents     (event, surface) → records, each counted once
 * @param eventOutcomes (event, outcome, surface) → records of the events that say how they ended
 * @param mcpAuthErrors MCP server → auth errors
 */
public record OtelTruth(Map<List<String>, Long> tokens, Map<List<String>, BigDecimal> costUsd,
                        Map<List<String>, BigDecimal> dailyCostUsd, Map<List<String>, Long> toolCalls,
                        Map<List<String>, Long> logEvents, Map<List<String>, Long> eventOutcomes,
                        Map<String, Long> mcpAuthErrors) {

    /** The user of events that carry neither an e-mail nor an id. */
    public static final String UNKNOWN = "unknown";
    static final Comparator<List<String>> KEY_ORDER = (a, b) -> String.join("\u0000", a)
            .compareTo(String.join("\u0000", b));

    public static final OtelTruth NONE = new Builder().build();

    public OtelTruth {
        tokens = frozen(tokens);
        costUsd = frozen(costUsd);
        dailyCostUsd = frozen(dailyCostUsd);
        toolCalls = frozen(toolCalls);
        logEvents = frozen(logEvents);
        eventOutcomes = frozen(eventOutcomes);
        mcpAuthErrors = Collections.unmodifiableMap(new TreeMap<>(mcpAuthErrors));
    }

    /** The receiver's name of an OTLP token type. */
    static String tokenType(String otlp) {
        return "cache_creation".equals(otlp) ? "cache_write" : otlp;
    }

    /** This and {@code other} together. */
    public OtelTruth plus(OtelTruth other) {
        Builder b = new Builder();
        for (OtelTruth t : List.of(this, other)) {
            t.tokens.forEach((k, v) -> b.tokens.merge(k, v, Long::sum));
            t.costUsd.forEach((k, v) -> b.costUsd.merge(k, v, BigDecimal::add));
            t.dailyCostUsd.forEach((k, v) -> b.dailyCostUsd.merge(k, v, BigDecimal::add));
            t.toolCalls.forEach((k, v) -> b.toolCalls.merge(k, v, Long::sum));
            t.logEvents.forEach((k, v) -> b.logEvents.merge(k, v, Long::sum));
            t.eventOutcomes.forEach((k, v) -> b.eventOutcomes.merge(k, v, Long::sum));
            t.mcpAuthErrors.forEach((k, v) -> b.mcpAuthErrors.merge(k, v, Long::sum));
        }
        return b.build();
    }

    /** What the metrics request of a push carries (tokens, cost, tool calls). */
    public OtelTruth metricsPart() {
        return new OtelTruth(tokens, costUsd, dailyCostUsd, toolCalls, Map.of(), Map.of(), Map.of());
    }

    /** What the logs request of a push carries (log events, their outcomes, MCP auth errors). */
    public OtelTruth logsPart() {
        return new OtelTruth(Map.of(), Map.of(), Map.of(), Map.of(), logEvents, eventOutcomes, mcpAuthErrors);
    }

    /** Σ estimated USD. */
    public BigDecimal totalCostUsd() {
        return costUsd.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static <V> Map<List<String>, V> frozen(Map<List<String>, V> map) {
        Map<List<String>, V> copy = new TreeMap<>(KEY_ORDER);
        map.forEach((k, v) -> copy.put(List.copyOf(k), v));
        return Collections.unmodifiableMap(copy);
    }

    /** Accumulates one window's events. Not thread-safe. */
    static final class Builder {
        private final Map<List<String>, Long> tokens = new TreeMap<>(KEY_ORDER);
        private final Map<List<String>, BigDecimal> costUsd = new TreeMap<>(KEY_ORDER);
        private final Map<List<String>, BigDecimal> dailyCostUsd = new TreeMap<>(KEY_ORDER);
        private final Map<List<String>, Long> toolCalls = new TreeMap<>(KEY_ORDER);
        private final Map<List<String>, Long> logEvents = new TreeMap<>(KEY_ORDER);
        private final Map<List<String>, Long> eventOutcomes = new TreeMap<>(KEY_ORDER);
        private final Map<String, Long> mcpAuthErrors = new TreeMap<>();

        void tokens(String user, String model, String type, String surface, long n) {
            tokens.merge(List.of(user, model, type, surface), n, Long::sum);
        }

        /** @param day the UTC day of the data point's time, YYYY-MM-DD */
        void cost(String user, String model, String surface, String day, BigDecimal usd) {
            costUsd.merge(List.of(user, model, surface), usd, BigDecimal::add);
            dailyCostUsd.merge(List.of(day, user), usd, BigDecimal::add);
        }

        void toolCall(String surface, String kind, String tool, String status, String server) {
            toolCalls.merge(List.of(surface, kind, tool, status, server), 1L, Long::sum);
        }

        void logEvent(String event, String surface) {
            logEvents.merge(List.of(event, surface), 1L, Long::sum);
        }

        void eventOutcome(String event, String outcome, String surface) {
            eventOutcomes.merge(List.of(event, outcome, surface), 1L, Long::sum);
        }

        void mcpAuthError(String server) {
            mcpAuthErrors.merge(server, 1L, Long::sum);
        }

        OtelTruth build() {
            return new OtelTruth(tokens, costUsd, dailyCostUsd, toolCalls, logEvents, eventOutcomes, mcpAuthErrors);
        }
    }
}
