package dev.cursorexporter.simulator;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulator playing Cursor's OpenTelemetry Export ({@code ../shared/cursor-api/OTEL-EXPORT.md}): the OTLP
 * messages a destination receives for the usage events that happened in a window of time, and the totals they
 * carry, which a receiver's counters must equal. Built from the same generated events as the Admin API answers, so
 * the estimated cost agrees with the settled one until Cursor restates (Q21).
 *
 * <p>What it exercises in a receiver: one resource per member x surface x entrypoint x client version; members
 * without {@code cursor.user.email} (Privacy Mode) but with the Admin API id, cloud-agent runs without any user;
 * routed models collapsed to {@code Auto}; delta sums with int (tokens, calls) and double (cost) points; the event
 * name in the record's field or in an {@code event.name} attribute; severities as documented; hook executions with
 * their outcome, cloud-agent runs whose set-up starts and then completes or fails, MCP auth errors.
 */
public final class OtelExport {
    static final String SCOPE = "cursor.telemetry";
    static final String SCOPE_VERSION = "0.1.0";
    private static final long TEAM_ID = 4242;
    private static final List<String> BUILTIN_TOOLS = List.of("read_file", "edit_file", "run_terminal_cmd",
            "codebase_search");
    private static final List<String[]> MCP_TOOLS = List.of(new String[] {"github", "create_pull_request"},
            new String[] {"linear", "get_issue"});

    private final UsageModel usage;

    OtelExport(UsageModel usage) {
        this.usage = usage;
    }

    /** What Cursor pushes for the events in {@code (fromMs, toMs]}, and what that push adds up to. */
    public record Window(ExportMetricsServiceRequest metrics, ExportLogsServiceRequest logs, OtelTruth truth) {
    }

    /**
     * The push for the events of {@code (fromMs, toMs]} as they stand at {@code toMs}.
     *
     * @throws IllegalArgumentException when {@code fromMs > toMs}
     */
    public Window window(long fromMs, long toMs) {
        if (fromMs > toMs) {
            throw new IllegalArgumentException("window from " + fromMs + " after " + toMs);
        }
        Map<Origin, Series> metrics = new LinkedHashMap<>();
        Map<Origin, List<LogRecord>> logs = new LinkedHashMap<>();
        OtelTruth.Builder truth = new OtelTruth.Builder();
        // every data point of the window is timed at its end: the receiver files the window's cost under that day
        String pointDay = java.time.LocalDate.ofEpochDay(UsageModel.dayOf(toMs)).toString();
        for (long day = UsageModel.dayOf(fromMs + 1); day <= UsageModel.dayOf(toMs); day++) {
            for (SimMember m : usage.org().members()) {
                // Identical events (REFERENCE.md Q12) are still distinct events with ids of their own: the n-th
                // twin of the member's day gets "#n", the same in every window that carries it.
                Map<String, Integer> twins = new java.util.HashMap<>();
                for (SimEvent e : usage.visibleEvents(m, day, toMs)) {
                    int twin = twins.merge(eventId(e), 1, Integer::sum);
                    if (e.timestamp() > fromMs && e.timestamp() <= toMs) {
                        add(m, e, twin == 1 ? eventId(e) : eventId(e) + "#" + twin, pointDay,
                                metrics.computeIfAbsent(origin(m, e), o -> new Series()),
                                logs.computeIfAbsent(origin(m, e), o -> new ArrayList<>()), truth);
                    }
                }
            }
        }
        ExportMetricsServiceRequest.Builder metricRequest = ExportMetricsServiceRequest.newBuilder();
        metrics.forEach((origin, series) -> metricRequest.addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(origin.resource())
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope()).addAllMetrics(
                        series.metrics(fromMs, toMs)))));
        ExportLogsServiceRequest.Builder logRequest = ExportLogsServiceRequest.newBuilder();
        logs.forEach((origin, records) -> logRequest.addResourceLogs(ResourceLogs.newBuilder()
                .setResource(origin.resource())
                .addScopeLogs(ScopeLogs.newBuilder().setScope(scope()).addAllLogRecords(records))));
        return new Window(metricRequest.build(), logRequest.build(), truth.build());
    }

    /** Who and where an event comes from: its OTLP resource. */
    private record Origin(String email, String accountId, Long userId, String surface, String entrypoint,
                          String clientVersion) {
        Resource resource() {
            Resource.Builder r = Resource.newBuilder()
                    .addAttributes(string("service.name", "cursor"))
                    .addAttributes(KeyValue.newBuilder().setKey("cursor.team.id")
                            .setValue(AnyValue.newBuilder().setIntValue(TEAM_ID)))
                    .addAttributes(string("cursor.surface", surface))
                    .addAttributes(string("cursor.entrypoint", entrypoint));
            if (clientVersion != null) {
                r.addAttributes(string("service.version", clientVersion));
            }
            if (userId != null) {
                r.addAttributes(KeyValue.newBuilder().setKey("cursor.user.id")
                        .setValue(AnyValue.newBuilder().setIntValue(userId)));
                r.addAttributes(string("cursor.user.account_id", accountId));
            }
            if (email != null) {
                r.addAttributes(string("cursor.user.email", email));
            }
            return r.build();
        }
    }

    /**
     * Service accounts call the API with no user at all (OTEL-EXPORT.md: no user id for service accounts);
     * automations run as cloud agents from the {@code automation} entrypoint; other cloud-agent events run on
     * {@code cloud_agent} (every fourth without any user, as Cursor often sends them); every seventh other event
     * comes from the CLI; members with index 3 mod 10 are on Privacy Mode (no e-mail).
     */
    private static Origin origin(SimMember m, SimEvent e) {
        if (e.caller().serviceAccount()) {
            return new Origin(null, null, null, "cli", "api", null);
        }
        if (e.caller().automationId() != null) {
            return new Origin(privacy(m) ? null : m.email(), m.id(), 1000L + m.index(), "cloud_agent", "automation",
                    null);
        }
        if (e.headless()) {
            boolean anonymous = Math.floorMod(e.seq(), 4) == 0;
            return new Origin(anonymous || privacy(m) ? null : m.email(), anonymous ? null : m.id(),
                    anonymous ? null : 1000L + m.index(), "cloud_agent", "web", null);
        }
        boolean cli = Math.floorMod(e.seq(), 7) == 0;
        return new Origin(privacy(m) ? null : m.email(), m.id(), 1000L + m.index(), cli ? "cli" : "desktop",
                cli ? "cli" : "desktop", m.clientVersion());
    }

    private static boolean privacy(SimMember m) {
        return m.index() % 10 == 3;
    }

    /** The user a receiver must resolve the event to: the e-mail, through the id where it is absent. */
    private static String truthUser(SimMember m, SimEvent e) {
        Origin o = origin(m, e);
        return o.email() == null && o.accountId() == null ? OtelTruth.UNKNOWN : m.key();
    }

    /** Routed requests are reported by intent: Cursor's {@code default} is {@code Auto}. */
    static String modelName(String model) {
        return "default".equals(model) ? "Auto" : model;
    }

    private void add(SimMember m, SimEvent e, String id, String pointDay, Series series, List<LogRecord> logs,
                     OtelTruth.Builder truth) {
        String user = truthUser(m, e);
        String surface = origin(m, e).surface();
        String model = modelName(e.model());
        SimEvent.Tokens t = e.tokens();
        long[] tokens = {t.input(), t.output(), t.cacheRead(), t.cacheWrite()};
        String[] types = {"input", "output", "cache_read", "cache_creation"};
        for (int i = 0; i < types.length; i++) {
            if (tokens[i] > 0) {
                series.tokens.merge(List.of(types[i], model), tokens[i], Long::sum);
                truth.tokens(user, model, OtelTruth.tokenType(types[i]), surface, tokens[i]);
            }
        }
        // The estimate at event time: the model cost and Cursor's token fee of billed events, before any restatement.
        BigDecimal usd = e.kind().charged() ? e.totalCents().add(e.cursorTokenFee()).movePointLeft(2)
                : BigDecimal.ZERO;
        if (usd.signum() > 0) {
            series.cost.merge(model, usd, BigDecimal::add);
            truth.cost(user, model, surface, pointDay, usd);
        }
        SplittableRandom random = new SplittableRandom(e.timestamp() * 31 + e.memberIndex() * 7L + e.seq());
        boolean errored = e.kind() == EventKind.ERRORED;
        LogRecord.Builder request = record(e, errored ? "cursor.api.error" : "cursor.api.request",
                errored ? SeverityNumber.SEVERITY_NUMBER_ERROR : SeverityNumber.SEVERITY_NUMBER_INFO, id, 0)
                .addAttributes(string("cursor.model.name", model))
                .addAttributes(string("cursor.usage_event.id", "ue-" + id));
        if (!errored) {
            request.addAttributes(integer("cursor.api.request.input_tokens", t.input()))
                    .addAttributes(integer("cursor.api.request.output_tokens", t.output()))
                    .addAttributes(integer("cursor.api.request.cache_read_tokens", t.cacheRead()))
                    .addAttributes(integer("cursor.api.request.cache_creation_tokens", t.cacheWrite()));
        }
        logs.add(request.build());
        truth.logEvent(errored ? "cursor.api.error" : "cursor.api.request", surface);
        if (e.tokenBased() && !errored) {
            for (int call = random.nextInt(4); call > 0; call--) {
                boolean mcp = random.nextInt(5) == 0;
                String[] tool = mcp ? MCP_TOOLS.get(random.nextInt(MCP_TOOLS.size()))
                        : new String[] {null, BUILTIN_TOOLS.get(random.nextInt(BUILTIN_TOOLS.size()))};
                String status = random.nextInt(10) == 0 ? "failure" : "success";
                series.toolCalls.merge(List.of(mcp ? "mcp" : "builtin", tool[1], status,
                        tool[0] == null ? "" : tool[0]), 1L, Long::sum);
                truth.toolCall(surface, mcp ? "mcp" : "builtin", tool[1], status, tool[0] == null ? "none" : tool[0]);
            }
        }
        if (e.headless() && random.nextInt(25) == 0) {
            logs.add(record(e, "cursor.cloud_agent.mcp_auth_error", SeverityNumber.SEVERITY_NUMBER_ERROR, id, 1)
                    .addAttributes(string("cursor.mcp.server.name", "github")).build());
            truth.logEvent("cursor.cloud_agent.mcp_auth_error", surface);
            truth.mcpAuthError("github");
        }
        if (!e.headless() && random.nextInt(6) == 0) {
            String outcome = random.nextInt(8) == 0 ? "failed" : random.nextInt(8) == 0 ? "blocked" : "success";
            logs.add(record(e, "cursor.hook.execution_complete", outcome.equals("failed")
                    ? SeverityNumber.SEVERITY_NUMBER_ERROR : SeverityNumber.SEVERITY_NUMBER_INFO, id, 2)
                    .addAttributes(string("cursor.hook.name", "format-on-save"))
                    .addAttributes(string("cursor.hook.type", "post_tool_use"))
                    .addAttributes(string("cursor.hook.outcome", outcome))
                    .addAttributes(integer("cursor.hook.duration_ms", 20 + random.nextInt(400))).build());
            truth.logEvent("cursor.hook.execution_complete", surface);
            truth.eventOutcome("cursor.hook.execution_complete", outcome, surface);
        }
        if (e.headless() && random.nextInt(3) == 0) {
            // this request started a cloud-agent run: its environment set-up began, then completed or failed
            boolean failed = random.nextInt(5) == 0;
            logs.add(record(e, "cursor.cloud_agent.setup", SeverityNumber.SEVERITY_NUMBER_INFO, id, 3)
                    .addAttributes(string("cursor.cloud_agent.setup.kind", "started")).build());
            LogRecord.Builder end = record(e, "cursor.cloud_agent.setup", failed ? SeverityNumber.SEVERITY_NUMBER_ERROR
                    : SeverityNumber.SEVERITY_NUMBER_INFO, id, 4)
                    .addAttributes(string("cursor.cloud_agent.setup.kind", failed ? "failed" : "completed"))
                    .addAttributes(integer("cursor.cloud_agent.setup.duration_ms", 5_000 + random.nextInt(60_000)));
            if (failed) {
                end.addAttributes(string("cursor.cloud_agent.setup.reason", "dependency install failed"));
            }
            logs.add(end.build());
            for (String kind : List.of("started", failed ? "failed" : "completed")) {
                truth.logEvent("cursor.cloud_agent.setup", surface);
                truth.eventOutcome("cursor.cloud_agent.setup", kind, surface);
            }
        }
    }

    /**
     * A log record of the event; {@code part} tells apart several records from one event. The event name goes in
     * the record's field for even events and in an attribute for odd ones: Cursor does not say which it uses.
     */
    private static LogRecord.Builder record(SimEvent e, String name, SeverityNumber severity, String id, int part) {
        long nanos = e.timestamp() * 1_000_000L;
        LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(nanos).setObservedTimeUnixNano(nanos)
                .setSeverityNumber(severity).setBody(AnyValue.newBuilder().setStringValue(name))
                .addAttributes(string("cursor.event.id", id + "-" + part))
                .addAttributes(string("cursor.source_event.id", id));
        if (e.conversationId() != null) {
            r.addAttributes(string("cursor.conversation.id", e.conversationId()));
        }
        return Math.floorMod(e.seq(), 2) == 0 ? r.setEventName(name) : r.addAttributes(string("event.name", name));
    }

    /** Deterministic across pushes of the same event: the receiver's dedupe key (as Cursor's retries keep it). */
    static String eventId(SimEvent e) {
        return "evt-" + e.memberIndex() + "-" + e.timestamp() + "-" + e.seq();
    }

    private static InstrumentationScope scope() {
        return InstrumentationScope.newBuilder().setName(SCOPE).setVersion(SCOPE_VERSION).build();
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /** One resource's delta sums of a window. */
    private static final class Series {
        /** (token type, model) → tokens. */
        final Map<List<String>, Long> tokens = new TreeMap<>(OtelTruth.KEY_ORDER);
        /** model → USD. */
        final Map<String, BigDecimal> cost = new TreeMap<>();
        /** (kind, tool, status, MCP server or "") → calls. */
        final Map<List<String>, Long> toolCalls = new TreeMap<>(OtelTruth.KEY_ORDER);

        List<Metric> metrics(long fromMs, long toMs) {
            List<Metric> out = new ArrayList<>();
            List<NumberDataPoint> tokenPoints = new ArrayList<>();
            tokens.forEach((k, v) -> tokenPoints.add(point(fromMs, toMs).setAsInt(v)
                    .addAttributes(string("cursor.token.type", k.get(0)))
                    .addAttributes(string("cursor.model.name", k.get(1))).build()));
            List<NumberDataPoint> costPoints = new ArrayList<>();
            cost.forEach((model, usd) -> costPoints.add(point(fromMs, toMs).setAsDouble(usd.doubleValue())
                    .addAttributes(string("cursor.model.name", model)).build()));
            List<NumberDataPoint> callPoints = new ArrayList<>();
            toolCalls.forEach((k, v) -> {
                NumberDataPoint.Builder p = point(fromMs, toMs).setAsInt(v)
                        .addAttributes(string("cursor.tool.kind", k.get(0)))
                        .addAttributes(string("cursor.tool.name", k.get(1)))
                        .addAttributes(string("cursor.tool.status", k.get(2)));
                if (!k.get(3).isEmpty()) {
                    p.addAttributes(string("cursor.mcp.server.name", k.get(3)));
                }
                callPoints.add(p.build());
            });
            add(out, "cursor.token.usage", "{token}", tokenPoints);
            add(out, "cursor.cost.usage", "USD", costPoints);
            add(out, "cursor.tool.calls", "{call}", callPoints);
            return out;
        }

        private static void add(List<Metric> out, String name, String unit, List<NumberDataPoint> points) {
            if (!points.isEmpty()) {
                out.add(Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .setIsMonotonic(true).addAllDataPoints(points)).build());
            }
        }

        private static NumberDataPoint.Builder point(long fromMs, long toMs) {
            return NumberDataPoint.newBuilder().setStartTimeUnixNano(fromMs * 1_000_000L)
                    .setTimeUnixNano(toMs * 1_000_000L);
        }
    }
}
