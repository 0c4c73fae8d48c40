package dev.cursorexporter.model;

/**
 * What is kept of one OTel log record: the event and the few attributes that are counted or joined. Nothing else
 * of the record (bodies, request and conversation ids, free text) reaches the store. Absent strings are {@code ""}.
 *
 * @param eventId        {@code cursor.event.id}, the de-duplication key (never empty)
 * @param usageEventId   {@code cursor.usage_event.id} (api.request and api.correction join on it)
 * @param correctionKind {@code cursor.api.correction.kind}
 * @param outcome        how the event ended, for the events that say so: {@code cursor.hook.outcome} of a hook
 *                       execution, {@code cursor.cloud_agent.setup.kind} of a cloud-agent setup,
 *                       {@code cursor.cloud_agent.pull_request.kind} of a cloud-agent pull request; else ""
 * @param tokens         the token counts of a {@code cursor.api.request}, else zero
 */
public record OtelLogRecord(String eventId, String event, OtelIdentity who, String surface, String model,
                            String mcpServer, String usageEventId, String correctionKind, String outcome,
                            OtelTokens tokens) {
    public static final String API_REQUEST = "cursor.api.request";
    public static final String API_CORRECTION = "cursor.api.correction";
    public static final String MCP_AUTH_ERROR = "cursor.cloud_agent.mcp_auth_error";

    public OtelLogRecord {
        if (eventId == null || eventId.isEmpty()) {
            throw new IllegalArgumentException("a log record needs its cursor.event.id");
        }
    }
}
