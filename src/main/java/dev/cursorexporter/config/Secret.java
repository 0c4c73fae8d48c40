package dev.cursorexporter.config;

import java.util.Objects;

/**
 * A credential (API key, auth token). {@link #toString()} never shows it, so it cannot leak through a log line,
 * an exception message or a record's generated {@code toString}.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; call only where it is sent (an Authorization header) or compared. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
