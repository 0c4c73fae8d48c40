package dev.cursorexporter.simulator;

/** The editor mode an event came from; daily usage counts requests per mode. */
enum Feature {
    CHAT("chat"),
    COMPOSER("composer"),
    AGENT("agent"),
    CMDK("cmdk"),
    BUGBOT("bugbot");

    private final String key;

    Feature(String key) {
        this.key = key;
    }

    /** Key used in {@link SimulatorTotals#featureRequestsByUser()}. */
    String key() {
        return key;
    }
}
