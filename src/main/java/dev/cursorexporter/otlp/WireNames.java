package dev.cursorexporter.otlp;

import java.util.Map;
import java.util.Set;

/**
 * The names of Cursor's wire reference (shared/cursor-api/OTEL-EXPORT.md) that the receiver reads or knows. Anything
 * else is tolerated and counted as unknown: Cursor adds attributes, metrics and events without a version bump.
 */
final class WireNames {
    static final String SURFACE = "cursor.surface";
    static final String EMAIL = "cursor.user.email";
    static final String ACCOUNT_ID = "cursor.user.account_id";
    static final String MODEL = "cursor.model.name";
    static final String TOKEN_TYPE = "cursor.token.type";
    static final String TOOL_KIND = "cursor.tool.kind";
    static final String TOOL_NAME = "cursor.tool.name";
    static final String TOOL_STATUS = "cursor.tool.status";
    static final String MCP_SERVER = "cursor.mcp.server.name";
    static final String EVENT_ID = "cursor.event.id";
    static final String USAGE_EVENT_ID = "cursor.usage_event.id";
    static final String CORRECTION_KIND = "cursor.api.correction.kind";
    static final String INPUT_TOKENS = "cursor.api.request.input_tokens";
    static final String OUTPUT_TOKENS = "cursor.api.request.output_tokens";
    static final String CACHE_READ_TOKENS = "cursor.api.request.cache_read_tokens";
    static final String CACHE_CREATION_TOKENS = "cursor.api.request.cache_creation_tokens";
    /**
     * The events that say how they ended, and the attribute that says it (OTEL-EXPORT.md: a closed enumeration
     * each): a hook's outcome, a cloud-agent setup's and pull request's kind.
     */
    static final Map<String, String> OUTCOME_OF = Map.of(
            "cursor.hook.execution_complete", "cursor.hook.outcome",
            "cursor.cloud_agent.setup", "cursor.cloud_agent.setup.kind",
            "cursor.cloud_agent.pull_request", "cursor.cloud_agent.pull_request.kind");
    /** Where the event name travels when not in the LogRecord's {@code event_name} field (undocumented: both). */
    static final String EVENT_NAME = "event.name";

    static final String TOKEN_USAGE = "cursor.token.usage";
    static final String COST_USAGE = "cursor.cost.usage";
    static final String TOOL_CALLS = "cursor.tool.calls";

    /** Log events that carry prompt and response text: dropped unread, never stored. */
    static final String CONVERSATION_PREFIX = "cursor.conversation.";

    static final Set<String> RESOURCE = Set.of("service.name", "service.version", "cursor.team.id", SURFACE,
            "cursor.entrypoint", "cursor.user.id", ACCOUNT_ID, EMAIL);
    static final Set<String> DATA_POINT = Set.of(TOKEN_TYPE, MODEL, "cursor.api.status", "cursor.api.billable",
            TOOL_KIND, TOOL_NAME, TOOL_STATUS, MCP_SERVER);
    static final Set<String> LOG_RECORD = Set.of(EVENT_ID, "cursor.source_event.id", "cursor.request.id",
            "cursor.conversation.id", USAGE_EVENT_ID, EVENT_NAME, INPUT_TOKENS, OUTPUT_TOKENS, CACHE_READ_TOKENS,
            CACHE_CREATION_TOKENS, MODEL, "cursor.api.billable", CORRECTION_KIND, "cursor.skill.name",
            "cursor.skill.trigger", "cursor.skill.source", "cursor.plugin.name", "cursor.plugin.scope",
            "cursor.hook.name", "cursor.hook.type", "cursor.hook.outcome", "cursor.hook.duration_ms", MCP_SERVER,
            "cursor.cloud_agent.pull_request.kind", "cursor.cloud_agent.pull_request.number",
            "cursor.cloud_agent.pull_request.draft", "cursor.cloud_agent.setup.kind",
            "cursor.cloud_agent.setup.duration_ms", "cursor.cloud_agent.setup.reason",
            "cursor.cloud_agent.artifact.file_name", "cursor.cloud_agent.artifact.content_type");
    /** The documented events other than {@code cursor.grok_bot.*}, which are known by their prefix. */
    static final Set<String> EVENTS = Set.of("cursor.api.request", "cursor.api.error", "cursor.api.correction",
            "cursor.skill.activated", "cursor.hook.execution_complete", "cursor.plugin.installed",
            "cursor.cloud_agent.pull_request", "cursor.cloud_agent.setup", "cursor.cloud_agent.artifact",
            "cursor.cloud_agent.mcp_auth_error");
    static final String GROK_BOT_PREFIX = "cursor.grok_bot.";

    private WireNames() {
    }
}
