package dev.cursorexporter.otlp;

import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelLogRecord;
import dev.cursorexporter.model.OtelTokens;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns an OTLP logs request into the records the store counts. {@code cursor.conversation.*} records carry prompt
 * and response text: they are dropped here, before anything of them is kept (counted as ignored, never stored, not
 * even their id). A record without an event name or without {@code cursor.event.id} cannot be counted once, so it
 * is rejected (OTLP partial success); unknown events are counted like known ones, and also as ignored
 * {@code unknown_event} so that new event types show.
 */
final class LogsDecoder {
    /** Longer ids are not Cursor's (its ids are UUID-like); refused so the id table stays small. */
    private static final int MAX_ID_CHARS = 200;

    record Decoded(List<OtelLogRecord> records, Tally tally) {
    }

    Decoded decode(ExportLogsServiceRequest request) {
        Tally tally = new Tally();
        List<OtelLogRecord> out = new ArrayList<>();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Sender sender = Sender.of(rl.getResource(), tally);
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                sl.getLogRecordsList().forEach(r -> decode(r, sender.who(), sender.surface(), tally, out));
            }
        }
        return new Decoded(out, tally);
    }

    private static void decode(LogRecord r, OtelIdentity who, String surface, Tally tally, List<OtelLogRecord> out) {
        String event = r.getEventName().strip();
        Attributes a = null;
        if (event.isEmpty()) {
            a = Attributes.of(r.getAttributesList());
            event = a.string(WireNames.EVENT_NAME);
        }
        if (event.startsWith(WireNames.CONVERSATION_PREFIX)) {
            tally.ignore("conversation_content", 1); // read no further: its attributes hold prompt text
            return;
        }
        if (event.isEmpty()) {
            tally.reject("a log record has no event name (event_name or the event.name attribute)");
            return;
        }
        if (a == null) {
            a = Attributes.of(r.getAttributesList());
        }
        String eventId = a.string(WireNames.EVENT_ID);
        if (eventId.isEmpty() || eventId.length() > MAX_ID_CHARS) {
            tally.reject("a " + (event.length() > 64 ? "log" : event) + " record has no usable " + WireNames.EVENT_ID);
            return;
        }
        tally.ignore("unknown_attribute", a.unknown(WireNames.LOG_RECORD));
        if (!WireNames.EVENTS.contains(event) && !event.startsWith(WireNames.GROK_BOT_PREFIX)) {
            tally.ignore("unknown_event", 1);
        }
        OtelTokens tokens = event.equals(OtelLogRecord.API_REQUEST) ? new OtelTokens(
                orZero(a.count(WireNames.INPUT_TOKENS)), orZero(a.count(WireNames.OUTPUT_TOKENS)),
                orZero(a.count(WireNames.CACHE_READ_TOKENS)), orZero(a.count(WireNames.CACHE_CREATION_TOKENS)))
                : OtelTokens.NONE;
        String usageEventId = a.string(WireNames.USAGE_EVENT_ID);
        String outcomeAttribute = WireNames.OUTCOME_OF.get(event);
        String outcome = outcomeAttribute == null ? "" : a.stringOr(outcomeAttribute, "unknown");
        out.add(new OtelLogRecord(eventId, event, who, surface, a.stringOr(WireNames.MODEL, "unknown"),
                a.stringOr(WireNames.MCP_SERVER, "unknown"),
                usageEventId.length() > MAX_ID_CHARS ? "" : usageEventId, a.string(WireNames.CORRECTION_KIND),
                outcome, tokens));
    }

    private static long orZero(OptionalLong n) {
        return n.orElse(0);
    }
}
