package dev.cursorexporter.model;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A credential (API key, auth token, password). {@link #toString()} never shows it, so it cannot leak through a
 * log line, an exception message or a record's generated {@code toString}. A secret read from a file follows the
 * file: Docker and Kubernetes rotate mounted secrets in place, and the exporter should not need a restart.
 */
public final class Secret {
    private final Supplier<String> value;

    public Secret(String value) {
        String fixed = Objects.requireNonNull(value, "value");
        this.value = () -> fixed;
    }

    private Secret(Supplier<String> value) {
        this.value = value;
    }

    /** A secret whose value may change (a mounted file rotated in place); {@code value} is asked at every use. */
    public static Secret following(Supplier<String> value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** The secret as it is now; call only where it is sent (an Authorization header) or compared. */
    public String reveal() {
        return value.get();
    }

    @Override
    public String toString() {
        return "***";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && reveal().equals(other.reveal());
    }

    @Override
    public int hashCode() {
        return reveal().hashCode();
    }
}
