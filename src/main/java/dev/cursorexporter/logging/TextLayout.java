package dev.cursorexporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

import java.util.Locale;
import java.util.Map;

/**
 * {@code CURSOR_EXPORTER_LOG_FORMAT=text}, the default, for a person at a terminal:
 * {@code 2026-03-02T12:00:00.000Z INFO  App: message key=value …}. The message and fields are on one line (line
 * breaks in them escaped as in logfmt); a stack trace follows on lines that start with a tab, as Java prints it, so
 * the event's continuation is plain to see. Pipelines that need exactly one line per event use logfmt or json.
 */
public final class TextLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        LogEvent e = LogEvent.of(event);
        StringBuilder out = new StringBuilder(256);
        out.append(e.time()).append(' ')
                .append(String.format(Locale.ROOT, "%-5s", e.level().toUpperCase(Locale.ROOT))).append(' ')
                .append(e.shortLogger()).append(": ").append(oneLine(e.message()));
        StringBuilder pairs = new StringBuilder();
        for (Map.Entry<String, Object> field : e.fields()) {
            Logfmt.pair(pairs, field.getKey(), field.getValue());
        }
        if (!pairs.isEmpty()) {
            out.append(' ').append(pairs);
        }
        if (e.stack() != null) {
            out.append('\n');
            e.stack().lines().forEach(line -> out.append('\t').append(line.strip()).append('\n'));
            return out.toString();
        }
        return out.append('\n').toString();
    }

    private static String oneLine(String message) {
        return message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
