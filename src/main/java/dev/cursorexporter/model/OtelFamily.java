package dev.cursorexporter.model;

import java.util.List;

/**
 * The durable counters kept from Cursor's OpenTelemetry Export, each with the label dimensions it is stored by
 * (besides who it is about, {@link OtelIdentity}). The store keeps one running sum per family, identity and label
 * values; team and location are not stored but looked up from the directory when the snapshot is built, so a
 * directory change regroups the counters.
 */
public enum OtelFamily {
    /** {@code cursor.token.usage} deltas. */
    TOKENS("tokens", List.of("surface", "model", "token_type")),
    /** {@code cursor.cost.usage} deltas, in micro-USD. */
    COST("cost", List.of("surface", "model")),
    /** {@code cursor.tool.calls} deltas. */
    TOOL_CALLS("tool_calls", List.of("surface", "tool_kind", "tool", "status", "mcp_server")),
    /** Log records, each {@code cursor.event.id} counted once. */
    LOG_EVENTS("log_events", List.of("surface", "event")),
    /**
     * Log records that say how they ended, by that outcome (a hook's outcome, a cloud-agent setup's or pull
     * request's kind): {@link OtelLogRecord#outcome()}.
     */
    EVENT_OUTCOMES("event_outcomes", List.of("surface", "event", "outcome")),
    /** {@code cursor.cloud_agent.mcp_auth_error} records. */
    MCP_AUTH_ERRORS("mcp_auth_errors", List.of("mcp_server")),
    /** {@code cursor.api.request} records that a {@code cursor.api.correction} declared not billed. */
    CORRECTED_REQUESTS("corrected_requests", List.of("surface", "model", "kind")),
    /** The tokens of those records, per token type. */
    CORRECTED_TOKENS("corrected_tokens", List.of("surface", "model", "kind", "token_type"));

    private final String key;
    private final List<String> dimensions;

    OtelFamily(String key, List<String> dimensions) {
        this.key = key;
        this.dimensions = dimensions;
    }

    /** How the store names the family (never renamed: it is in the database). */
    public String key() {
        return key;
    }

    /** The label dimensions, in the order of an increment's label values. */
    public List<String> dimensions() {
        return dimensions;
    }

    public static OtelFamily ofKey(String key) {
        for (OtelFamily f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no OTel family " + key);
    }
}
