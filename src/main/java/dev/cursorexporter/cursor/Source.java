package dev.cursorexporter.cursor;

/** The Cursor data sources the exporter polls; {@link #label()} is the {@code source} label value. */
public enum Source {
    MEMBERS("members"),
    SPEND("spend"),
    DAILY_USAGE("daily_usage"),
    USAGE_EVENTS("usage_events"),
    /** Enterprise only: {@code GET /teams/groups}. */
    BILLING_GROUPS("billing_groups"),
    /** Enterprise only: team-level Analytics API. */
    ANALYTICS("analytics"),
    /** Enterprise only: AI Code Tracking commits. */
    AI_CODE("ai_code");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Sources a team may lack (plan-gated): 401/403 marks them unavailable instead of failed. */
    public boolean enterprise() {
        return this == BILLING_GROUPS || this == ANALYTICS || this == AI_CODE;
    }
}
