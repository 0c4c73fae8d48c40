package dev.cursorexporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * {@code CURSOR_EXPORTER_LOG_FORMAT=json}: one JSON object per line with the fields of {@link LogEvent}, the event's
 * key-value pairs as top-level fields (numbers and booleans as such). Jackson does the escaping, so a line break in a
 * message or stack trace is {@code \n} inside a string and the event stays on one line.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    private final JsonFactory json = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        LogEvent e = LogEvent.of(event);
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", e.time());
            g.writeStringField("level", e.level());
            g.writeStringField("logger", e.logger());
            g.writeStringField("msg", e.message());
            for (Map.Entry<String, Object> field : e.fields()) {
                g.writeFieldName(field.getKey() == null ? "_" : field.getKey());
                write(g, field.getValue());
            }
            if (e.error() != null) {
                g.writeStringField("error", e.error());
                g.writeStringField("stack", e.stack());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            g.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            g.writeNumber(decimal);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d)); // JSON has no NaN or Infinity
            }
        } else {
            g.writeString(String.valueOf(value));
        }
    }
}
