package dev.cursorexporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

import java.util.Map;

/** {@code CURSOR_EXPORTER_LOG_FORMAT=logfmt}: one line of {@code key=value} pairs per event ({@link LogEvent}). */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        LogEvent e = LogEvent.of(event);
        StringBuilder out = new StringBuilder(256);
        Logfmt.pair(out, "time", e.time());
        Logfmt.pair(out, "level", e.level());
        Logfmt.pair(out, "logger", e.logger());
        Logfmt.pair(out, "msg", e.message());
        for (Map.Entry<String, Object> field : e.fields()) {
            Logfmt.pair(out, field.getKey(), field.getValue());
        }
        if (e.error() != null) {
            Logfmt.pair(out, "error", e.error());
            Logfmt.pair(out, "stack", e.stack());
        }
        return out.append('\n').toString();
    }
}
