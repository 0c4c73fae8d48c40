package dev.cursorexporter.config;

import java.util.Objects;

/**
 * A command-line flag that sets what an environment variable of the table of keys sets, and wins over it.
 *
 * @param flag     the flag as the user wrote it ({@code --log.level}), which names the value in a problem line
 * @param variable the environment variable it stands in for ({@code CURSOR_EXPORTER_LOG_LEVEL}), or
 *                 {@code CURSOR_EXPORTER_CONFIG} for the YAML file
 * @param value    the raw value, read like the variable's
 */
public record ConfigFlag(String flag, String variable, String value) {
    public ConfigFlag {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(value, "value");
    }

    /** The variables flags can stand in for; the names are the public contract of the table of keys. */
    public static final String CONFIG_FILE = ConfigKeys.CONFIG_FILE;
    public static final String PORT = "CURSOR_EXPORTER_PORT";
    public static final String BIND_ADDRESS = "CURSOR_EXPORTER_BIND_ADDRESS";
    public static final String LOG_LEVEL = "CURSOR_EXPORTER_LOG_LEVEL";
    public static final String LOG_FORMAT = "CURSOR_EXPORTER_LOG_FORMAT";

    @Override
    public String toString() {
        return flag + "=" + value;
    }
}
