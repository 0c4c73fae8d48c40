package dev.cursorexporter.simulator;

/** How much a synthetic member uses Cursor. */
enum ActivityLevel {
    HEAVY(55, 0.30, 0.05),
    NORMAL(18, 0.12, 0.10),
    LIGHT(5, 0.05, 0.25),
    /** Has a seat, never uses it: keeps inactive rows and zero spend in the data. */
    DORMANT(0, 0, 1);

    private final double eventsPerWeekday;
    private final double weekendFactor;
    private final double dayOffProbability;

    ActivityLevel(double eventsPerWeekday, double weekendFactor, double dayOffProbability) {
        this.eventsPerWeekday = eventsPerWeekday;
        this.weekendFactor = weekendFactor;
        this.dayOffProbability = dayOffProbability;
    }

    double eventsPerWeekday() {
        return eventsPerWeekday;
    }

    double weekendFactor() {
        return weekendFactor;
    }

    double dayOffProbability() {
        return dayOffProbability;
    }
}
