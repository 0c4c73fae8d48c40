package dev.cursorexporter.cursor;

/** The Cursor data sources the exporter polls; {@link #label()} is the {@code source} label value. */
public enum Source {
    MEMBERS("members"),
    SPEND("spend"),
    DAILY_USAGE("daily_usage"),
    USAGE_EVENTS("usage_events");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
