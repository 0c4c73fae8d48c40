package dev.cursorexporter.model;

/** Token counts of one {@code cursor.api.request} record ({@code cache_creation} is {@code cacheWrite}). */
public record OtelTokens(long input, long output, long cacheRead, long cacheWrite) {
    public static final OtelTokens NONE = new OtelTokens(0, 0, 0, 0);

    /** The {@code token_type} label values, in the order of {@link #byType()}. */
    public static final java.util.List<String> TYPES = java.util.List.of("input", "output", "cache_read",
            "cache_write");

    /** The counts in the order of {@link #TYPES}. */
    public long[] byType() {
        return new long[] {input, output, cacheRead, cacheWrite};
    }
}
