package dev.cursorexporter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.testing.LogfmtParser;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three layouts on hostile events: a message with quotes, backslashes, {@code =}, line breaks, a tab, a control
 * character and non-ASCII text, fields of several types, and a throwable with a cause. logfmt must parse with the
 * strict reader and JSON with Jackson, one line each, giving back exactly what was logged.
 */
class LogLayoutsTest {
    private static final String HOSTILE = "say \"hi\"\\ a=b\nsecond line\r\tend \u0001 café ✓";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.cursorexporter.sync.AccountSync");

    private ILoggingEvent event(String message, Throwable thrown) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, thrown, null);
        event.setTimeStamp(1_772_452_800_123L); // 2026-03-02T12:00:00.123Z
        event.addKeyValuePair(new KeyValuePair("source", "daily_usage"));
        event.addKeyValuePair(new KeyValuePair("rows", 42));
        event.addKeyValuePair(new KeyValuePair("ok", true));
        event.addKeyValuePair(new KeyValuePair("empty", ""));
        event.addKeyValuePair(new KeyValuePair("detail", HOSTILE));
        return event;
    }

    private static Throwable failure() {
        IllegalStateException cause = new IllegalStateException("inner \"cause\"\nline two");
        return new java.io.UncheckedIOException("outer", new IOException("io", cause));
    }

    private String layout(LayoutBase<ILoggingEvent> layout, ILoggingEvent event) {
        layout.setContext(context);
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void logfmtIsOneStrictLinePerEventAndGivesBackEveryValue() {
        String out = layout(new LogfmtLayout(), event(HOSTILE, failure()));
        assertTrue(out.endsWith("\n"));
        assertEquals(1, out.lines().count(), out);
        Map<String, String> pairs = LogfmtParser.parse(out.stripTrailing());
        assertEquals(List.of("time", "level", "logger", "msg", "source", "rows", "ok", "empty", "detail", "error",
                "stack"), List.copyOf(pairs.keySet()));
        assertEquals("2026-03-02T12:00:00.123Z", pairs.get("time"));
        assertEquals("warn", pairs.get("level"));
        assertEquals("dev.cursorexporter.sync.AccountSync", pairs.get("logger"));
        assertEquals(HOSTILE, pairs.get("msg"));
        assertEquals("42", pairs.get("rows"));
        assertEquals("", pairs.get("empty"));
        assertEquals(HOSTILE, pairs.get("detail"));
        assertEquals("java.io.UncheckedIOException: outer", pairs.get("error"));
        assertTrue(pairs.get("stack").startsWith("java.io.UncheckedIOException: outer\n\tat "), pairs.get("stack"));
        assertTrue(pairs.get("stack").contains("Caused by: java.lang.IllegalStateException: inner \"cause\"\nline two"),
                pairs.get("stack"));
        // bare where logfmt allows it, so a line stays readable
        assertTrue(out.startsWith("time=2026-03-02T12:00:00.123Z level=warn logger=dev.cursorexporter.sync."
                + "AccountSync msg=\"say \\\"hi\\\"\\\\ a=b\\nsecond line\\r\\tend \\u0001 café ✓\" source=daily_usage "
                + "rows=42 ok=true empty=\"\" "), out);
    }

    @Test
    void jsonIsOneObjectPerLineWithTheFieldsAtTheTopLevel() throws IOException {
        String out = layout(new JsonLayout(), event(HOSTILE, failure()));
        assertEquals(1, out.lines().count(), out);
        JsonNode node = JSON.readTree(out);
        assertEquals(List.of("time", "level", "logger", "msg", "source", "rows", "ok", "empty", "detail", "error",
                "stack"), iterable(node.fieldNames()));
        assertEquals("warn", node.get("level").asText());
        assertEquals(HOSTILE, node.get("msg").asText());
        assertTrue(node.get("rows").isIntegralNumber());
        assertEquals(42, node.get("rows").asInt());
        assertTrue(node.get("ok").isBoolean());
        assertEquals(HOSTILE, node.get("detail").asText());
        assertEquals("java.io.UncheckedIOException: outer", node.get("error").asText());
        assertTrue(node.get("stack").asText().contains("Caused by: java.lang.IllegalStateException"), out);
    }

    @Test
    void textIsOneLineUnlessAStackTraceFollowsOnTabbedLines() {
        String plain = layout(new TextLayout(), event("synced\nfine", null));
        assertEquals("2026-03-02T12:00:00.123Z WARN  AccountSync: synced\\nfine source=daily_usage rows=42 ok=true "
                + "empty=\"\" detail=\"say \\\"hi\\\"\\\\ a=b\\nsecond line\\r\\tend \\u0001 café ✓\"\n", plain);

        List<String> lines = layout(new TextLayout(), event("failed", failure())).lines().toList();
        assertTrue(lines.get(0).startsWith("2026-03-02T12:00:00.123Z WARN  AccountSync: failed source="), lines.get(0));
        assertEquals("\tjava.io.UncheckedIOException: outer", lines.get(1));
        assertTrue(lines.size() > 3);
        lines.subList(1, lines.size()).forEach(l -> assertTrue(l.startsWith("\t"), l));
    }

    @Test
    void theStrictReaderRefusesWhatIsNotLogfmt() {
        for (String bad : List.of("", "msg", "msg=a b", "msg=\"open", "msg=\"a\"b=c", "a=1 a=2", "k=v  k2=v",
                "msg=\"bad \\x escape\"", "msg=\"raw\ttab\"", "msg=back\\slash")) {
            assertThrows(IllegalArgumentException.class, () -> LogfmtParser.parse(bad), bad);
        }
        assertEquals(Map.of("a", "1", "b", "two words"), LogfmtParser.parse("a=1 b=\"two words\""));
    }

    @Test
    void levelsAndQuietLibraries() {
        assertEquals(Level.DEBUG, LogSetup.level(dev.cursorexporter.config.LogConfig.Level.DEBUG));
        assertEquals(Level.ERROR, LogSetup.level(dev.cursorexporter.config.LogConfig.Level.ERROR));
        assertTrue(LogSetup.QUIET.containsAll(List.of("org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari",
                "org.flywaydb")));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
