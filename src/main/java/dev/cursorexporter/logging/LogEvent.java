package dev.cursorexporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import org.slf4j.event.KeyValuePair;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields every format writes, in one order and under one name each, so that a query written against the logfmt
 * lines works on the JSON ones: {@code time}, {@code level}, {@code logger}, {@code msg}, the event's key-value
 * pairs (SLF4J's {@code addKeyValue}), then {@code error} and {@code stack} when it carries a throwable.
 */
record LogEvent(String time, String level, String logger, String message, List<Map.Entry<String, Object>> fields,
                String error, String stack) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static LogEvent of(ILoggingEvent event) {
        List<Map.Entry<String, Object>> fields = new ArrayList<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                fields.add(new java.util.AbstractMap.SimpleImmutableEntry<>(pair.key, pair.value));
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        String error = null;
        String stack = null;
        if (thrown != null) {
            error = thrown.getClassName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage());
            stack = ThrowableProxyUtil.asString(thrown).stripTrailing();
        }
        return new LogEvent(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())),
                event.getLevel().toString().toLowerCase(Locale.ROOT), event.getLoggerName(),
                event.getFormattedMessage() == null ? "" : event.getFormattedMessage(), fields, error, stack);
    }

    /** The logger's class name without its package, for the text format a person reads. */
    String shortLogger() {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
