package dev.cursorexporter.metrics;

import java.util.List;

/**
 * One group of the Cursor metrics of {@code /metrics} (usage, spend, activity, ...): a class that declares its
 * metric names and HELP texts as constants and computes their values from the store, next to each other, so one
 * file answers where a metric comes from. {@link SnapshotBuilder} registers the groups and checks on every build
 * that a group adds exactly the families it names.
 */
interface MetricGroup {

    /**
     * The names of the families this group adds (counters without {@code _total}), from its own constants, in the
     * order {@link #addTo} adds them.
     */
    List<String> names();

    /**
     * Adds this group's families to the snapshot being built, every one of them on every build (empty when there
     * is nothing to show: {@code cursor_exporter_series_capped} lists each family), with the series of every
     * account.
     */
    void addTo(SnapshotDraft draft);
}
