package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.store.OtelUsers;
import dev.cursorexporter.store.StoreReader;

import java.math.BigDecimal;
import java.util.List;

import static dev.cursorexporter.metrics.SnapshotDraft.with;

/**
 * What Cursor's OpenTelemetry Export pushed to the OTLP receiver: durable counters of the deltas and log events,
 * summed since the receiver first stored one, and when each signal was last received. The user is the record's
 * {@code cursor.user.email}, else the member whose Admin API id is its {@code cursor.user.account_id}, else
 * {@code unknown} ({@link OtelUsers}); team and location come from the directory like every other family. These
 * series carry no {@code account}: the receiver cannot tell which configured account a push belongs to.
 */
final class OtelMetrics implements MetricGroup {
    static final String TOKENS = "cursor_otel_tokens";
    static final String COST = "cursor_otel_cost_usd";
    static final String TOOL_CALLS = "cursor_otel_tool_calls";
    static final String LOG_EVENTS = "cursor_otel_log_events";
    static final String EVENT_OUTCOMES = "cursor_otel_event_outcomes";
    static final String MCP_AUTH_ERRORS = "cursor_otel_mcp_auth_errors";
    static final String CORRECTED_REQUESTS = "cursor_otel_corrected_requests";
    static final String CORRECTED_TOKENS = "cursor_otel_corrected_tokens";
    static final String LAST_RECEIVED = "cursor_exporter_otlp_last_received_timestamp_seconds";
    private static final List<String> NAMES = List.of(TOKENS, COST, TOOL_CALLS, LOG_EVENTS, EVENT_OUTCOMES,
            MCP_AUTH_ERRORS, CORRECTED_REQUESTS, CORRECTED_TOKENS, LAST_RECEIVED);

    private static final String FRESH = " From Cursor's OpenTelemetry Export (OTLP receiver), in /metrics within "
            + "seconds of each push.";
    private static final String TOKENS_HELP = "Tokens by type (cache_creation shown as cache_write), summed from "
            + "the cursor.token.usage deltas received." + FRESH;
    private static final String COST_HELP = "Estimated cost in USD, summed from the cursor.cost.usage deltas "
            + "received: Cursor's best-effort estimate at event time, not the settled cost of the Admin API." + FRESH;
    private static final String TOOL_CALLS_HELP = "Agent tool calls by kind, tool, status and MCP server "
            + "(mcp_server=\"none\" for built-in tools), from cursor.tool.calls." + FRESH;
    private static final String LOG_EVENTS_HELP = "OTLP log records by event, each cursor.event.id counted once "
            + "(Cursor retries for about 7 days; ids are kept 8). cursor.conversation.* events are never counted or "
            + "stored." + FRESH;
    private static final String EVENT_OUTCOMES_HELP = "OTLP log records of the events that say how they ended, by "
            + "that outcome: cursor.hook.execution_complete by its hook outcome (success, blocked, failed, timeout), "
            + "cursor.cloud_agent.setup by its kind (started, completed, failed), cursor.cloud_agent.pull_request by "
            + "its kind (opened, creation_failed); each cursor.event.id once." + FRESH;
    private static final String MCP_AUTH_ERRORS_HELP = "cursor.cloud_agent.mcp_auth_error events: an MCP server "
            + "rejected a cloud agent run's credentials." + FRESH;
    private static final String CORRECTED_REQUESTS_HELP = "cursor.api.request records that a cursor.api.correction "
            + "(joined on cursor.usage_event.id, in either order, within 8 days) declared not billed, by correction "
            + "kind." + FRESH;
    private static final String CORRECTED_TOKENS_HELP = "The tokens of those corrected requests, by type: included "
            + "in cursor_otel_tokens_total, which OTLP deltas cannot take back." + FRESH;
    private static final String LAST_RECEIVED_HELP = "Unix time the OTLP receiver last accepted a request of this "
            + "signal (metrics, logs); absent before the first.";

    private final StoreReader store;

    OtelMetrics(StoreReader store) {
        this.store = store;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder tokens = draft.counter(TOKENS, TOKENS_HELP, draft.memberLabels("model", "token_type", "surface"));
        FamilyBuilder cost = draft.counter(COST, COST_HELP, draft.memberLabels("model", "surface"));
        FamilyBuilder tools = draft.counter(TOOL_CALLS, TOOL_CALLS_HELP,
                List.of("team", "location", "surface", "tool_kind", "tool", "status", "mcp_server"));
        FamilyBuilder events = draft.counter(LOG_EVENTS, LOG_EVENTS_HELP,
                List.of("event", "surface", "team", "location"));
        FamilyBuilder outcomes = draft.counter(EVENT_OUTCOMES, EVENT_OUTCOMES_HELP,
                List.of("event", "outcome", "surface", "team", "location"));
        FamilyBuilder mcpAuth = draft.counter(MCP_AUTH_ERRORS, MCP_AUTH_ERRORS_HELP, List.of("mcp_server"));
        FamilyBuilder correctedRequests = draft.counter(CORRECTED_REQUESTS, CORRECTED_REQUESTS_HELP,
                List.of("team", "location", "model", "surface", "kind"));
        FamilyBuilder correctedTokens = draft.counter(CORRECTED_TOKENS, CORRECTED_TOKENS_HELP,
                List.of("team", "location", "model", "token_type", "surface", "kind"));
        FamilyBuilder lastReceived = draft.gauge(LAST_RECEIVED, LAST_RECEIVED_HELP, List.of("signal"));

        OtelUsers users = OtelUsers.of(store, draft.accounts());
        store.otel().counters(c -> {
            String email = users.email(c.who());
            List<String> l = c.labels();
            switch (c.family()) {
                case TOKENS -> tokens.add(with(draft.memberValues(email), l.get(1), l.get(2), l.get(0)), c.value());
                case COST -> cost.add(with(draft.memberValues(email), l.get(1), l.get(0)),
                        BigDecimal.valueOf(c.value(), 6));
                case TOOL_CALLS -> tools.add(with(group(draft, email), l.toArray(String[]::new)), c.value());
                case LOG_EVENTS -> {
                    Assignment a = draft.directory().lookup(email);
                    events.add(List.of(l.get(1), l.get(0), a.team(), a.location()), c.value());
                }
                case EVENT_OUTCOMES -> {
                    Assignment a = draft.directory().lookup(email);
                    outcomes.add(List.of(l.get(1), l.get(2), l.get(0), a.team(), a.location()), c.value());
                }
                case MCP_AUTH_ERRORS -> mcpAuth.add(l, c.value());
                case CORRECTED_REQUESTS -> correctedRequests.add(with(group(draft, email), l.get(1), l.get(0),
                        l.get(2)), c.value());
                case CORRECTED_TOKENS -> correctedTokens.add(with(group(draft, email), l.get(1), l.get(3), l.get(0),
                        l.get(2)), c.value());
                default -> throw new IllegalStateException("no series for " + c.family());
            }
        });
        store.otel().lastReceived().forEach((signal, at) -> lastReceived.add(List.of(signal), at));
    }

    private static List<String> group(SnapshotDraft draft, String email) {
        Assignment a = draft.directory().lookup(email);
        return List.of(a.team(), a.location());
    }
}
