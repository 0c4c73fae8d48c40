package dev.cursorexporter.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a datasource answer can be grouped and filtered by. The declaration order is the order of output columns. */
public enum Dimension {
    USER, TEAM, LOCATION, MODEL, BILLING, ACTOR;

    /** Model, billing class and actor exist on usage events only: daily usage (activity) has none of them. */
    public boolean usageOnly() {
        return this == MODEL || this == BILLING || this == ACTOR;
    }

    /** The key as it appears in requests and answers: {@code user}, {@code team}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Dimension> byKey(String key) {
        return Arrays.stream(values()).filter(d -> d.key().equals(key)).findFirst();
    }

    /** {@code user, team, location, model, billing, actor}, for error messages. */
    public static String allowedKeys() {
        return Arrays.stream(values()).map(Dimension::key).collect(Collectors.joining(", "));
    }
}
