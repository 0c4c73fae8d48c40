package dev.cursorexporter.metrics;

/**
 * The {@code window} label of the day-window gauges: that many days, ending on a day each metric names
 * ({@code cursor_active_users}: the newest day of daily usage; {@code cursor_cost_window_*}: yesterday).
 */
enum Window {
    DAY("1d", 1),
    WEEK("7d", 7),
    FOUR_WEEKS("28d", 28);

    private final String label;
    private final int days;

    Window(String label, int days) {
        this.label = label;
        this.days = days;
    }

    String label() {
        return label;
    }

    int days() {
        return days;
    }
}
