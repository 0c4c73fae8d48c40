package dev.cursorexporter.simulator;

/** The {@code kind} labels seen in real usage events (REFERENCE.md Q3). */
enum EventKind {
    INCLUDED("Included in Business"),
    USAGE_BASED("Usage-based"),
    ERRORED("Errored, Not Charged"),
    ABORTED("Aborted, Not Charged"),
    BYOK("User API Key");

    private final String label;

    EventKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Whether Cursor bills the event; BYOK is free here (tokens are paid to the user's own provider). */
    boolean charged() {
        return this == INCLUDED || this == USAGE_BASED;
    }
}
