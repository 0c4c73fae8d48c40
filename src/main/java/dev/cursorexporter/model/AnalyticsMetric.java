package dev.cursorexporter.model;

/** The team-level Analytics API metrics the exporter reads ({@code GET /analytics/team/{path}}, §3.2). */
public enum AnalyticsMetric {
    DAU("dau"),
    MODELS("models"),
    AGENT_EDITS("agent-edits"),
    TABS("tabs"),
    CLIENT_VERSIONS("client-versions");

    private final String path;

    AnalyticsMetric(String path) {
        this.path = path;
    }

    /** The path segment, also the value stored and shown, e.g. {@code agent-edits}. */
    public String path() {
        return path;
    }

    public static AnalyticsMetric ofPath(String path) {
        for (AnalyticsMetric m : values()) {
            if (m.path.equals(path)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown analytics metric " + path);
    }
}
