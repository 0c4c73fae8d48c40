package dev.cursorexporter.config;

/** Where the {@code team} label comes from after the CSV file and the rules ({@code directory.team_source}). */
public enum TeamSource {
    /** The CSV file and the rules only, then the default team. */
    DIRECTORY,
    /** Cursor billing groups name the team of members that the CSV file and the rules leave without one. */
    BILLING_GROUPS
}
