package dev.cursorexporter.directory;

/** Where a member belongs: the {@code team} and {@code location} label values. */
public record Assignment(String team, String location) {
    public static final String DEFAULT_TEAM = "unassigned";
    public static final String DEFAULT_LOCATION = "unknown";
    public static final Assignment DEFAULT = new Assignment(DEFAULT_TEAM, DEFAULT_LOCATION);
}
