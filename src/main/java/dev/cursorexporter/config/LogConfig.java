package dev.cursorexporter.config;

import java.util.Objects;

/**
 * The exporter's own log ({@code log:}).
 *
 * @param level  the least severe level written ({@code CURSOR_EXPORTER_LOG_LEVEL}, {@code log.level}, {@code --log.level})
 * @param format how each event is written, one line each ({@code CURSOR_EXPORTER_LOG_FORMAT}, {@code log.format},
 *               {@code --log.format})
 */
public record LogConfig(Level level, Format format) {
    /** The defaults of the table of keys. */
    public static final LogConfig DEFAULT = new LogConfig(Level.INFO, Format.TEXT);

    public LogConfig {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(format, "format");
    }

    /** The levels a user can choose; trace is left out: nothing of ours logs at it. */
    public enum Level { ERROR, WARN, INFO, DEBUG }

    /** {@code text} for a terminal, {@code logfmt} and {@code json} for a log pipeline (Loki, Elasticsearch…). */
    public enum Format { TEXT, LOGFMT, JSON }
}
