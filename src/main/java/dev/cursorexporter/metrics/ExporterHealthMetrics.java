package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.BackfillProgress;
import dev.cursorexporter.store.SourceAvailability;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.StoreReader;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.cursorexporter.metrics.SnapshotDraft.with;

/**
 * How the polling goes, per source, as the sync stored it (so a restart shows the same): whether the last poll
 * succeeded and when one last did, whether a plan-gated source is available, whether Cursor refuses the key, and
 * how much of the backfill is stored. The series cap and the dropped series, which describe the snapshot itself,
 * are added by {@link SnapshotDraft}.
 */
final class ExporterHealthMetrics implements MetricGroup {
    static final String SOURCE_UP = "cursor_exporter_source_up";
    static final String LAST_SUCCESS = "cursor_exporter_source_last_success_timestamp_seconds";
    static final String SOURCE_AVAILABLE = "cursor_exporter_source_available";
    static final String AUTH_FAILING = "cursor_exporter_auth_failing";
    static final String BACKFILL_COVERED = "cursor_exporter_backfill_covered_seconds";
    static final String BACKFILL_RATIO = "cursor_exporter_backfill_progress_ratio";
    private static final List<String> NAMES =
            List.of(SOURCE_UP, LAST_SUCCESS, SOURCE_AVAILABLE, AUTH_FAILING, BACKFILL_COVERED, BACKFILL_RATIO);

    private static final String SOURCE_UP_HELP = "1 when the last poll of this Cursor source succeeded, else 0.";
    private static final String LAST_SUCCESS_HELP = "Unix time of the last successful poll of this Cursor source.";
    private static final String SOURCE_AVAILABLE_HELP = "1 when this plan-gated Cursor source answered its last "
            + "probe, 0 after a 401/403 (not on the team's plan; probed again at start, on a forced sync and daily). "
            + "Only for sources probed so far.";
    private static final String AUTH_FAILING_HELP = "1 while Cursor refuses the API key (401/403 on members, spend, "
            + "daily usage or usage events; see the log for what to check), else 0; updated after every poll.";
    private static final String BACKFILL_COVERED_HELP = "Length of the backfill range (the backfill_days complete "
            + "UTC days before today, plus today) stored for this source, in seconds (days × 86400), look-back days "
            + "included once read; updated after every poll.";
    private static final String BACKFILL_RATIO_HELP = "Share (0-1) of the backfill range stored for this source; 1 "
            + "when the backfill is complete.";

    private final StoreReader store;
    private final boolean authState;
    private final BackfillProgress backfill;

    /**
     * @param authState whether to show {@code cursor_exporter_auth_failing}, read from the store's auth refusals
     * @param backfill  backfill progress per source ({@code cursor_exporter_backfill_*}); null = not shown
     */
    ExporterHealthMetrics(StoreReader store, boolean authState, BackfillProgress backfill) {
        this.store = store;
        this.authState = authState;
        this.backfill = backfill;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder up = draft.gauge(SOURCE_UP, SOURCE_UP_HELP, draft.accountLabels("source"));
        FamilyBuilder lastSuccess = draft.gauge(LAST_SUCCESS, LAST_SUCCESS_HELP, draft.accountLabels("source"));
        FamilyBuilder available = draft.gauge(SOURCE_AVAILABLE, SOURCE_AVAILABLE_HELP, draft.accountLabels("source"));
        FamilyBuilder authFailing = draft.gauge(AUTH_FAILING, AUTH_FAILING_HELP, draft.accountLabels());
        FamilyBuilder backfillCovered = draft.gauge(BACKFILL_COVERED, BACKFILL_COVERED_HELP,
                draft.accountLabels("source"));
        FamilyBuilder backfillRatio = draft.gauge(BACKFILL_RATIO, BACKFILL_RATIO_HELP, draft.accountLabels("source"));
        for (String account : draft.accounts()) {
            List<String> acc = draft.accountValues(account);
            Map<Source, SourceState> states = store.sourceStates(account);
            for (Source source : Source.values()) {
                SourceState s = states.getOrDefault(source, SourceState.NEVER);
                List<String> values = with(acc, source.label());
                up.add(values, s.lastSuccess() != null && s.lastError() == null ? 1 : 0);
                if (s.lastSuccess() != null) {
                    lastSuccess.add(values, s.lastSuccess());
                }
            }
            for (Map.Entry<Source, SourceAvailability> a : store.enterprise().availability(account).entrySet()) {
                available.add(with(acc, a.getKey().label()), a.getValue().available() ? 1 : 0);
            }
            if (authState) {
                authFailing.add(acc, store.authRefusals(account).isEmpty() ? 0 : 1);
            }
            if (backfill != null) {
                backfill.of(account).forEach((source, p) -> {
                    List<String> values = with(acc, source.label());
                    // Base unit seconds (promtool rejects "days" in a name): days covered × 86,400.
                    backfillCovered.add(values, TimeUnit.DAYS.toSeconds(p.daysCovered()));
                    backfillRatio.add(values, BigDecimal.valueOf(p.daysCovered())
                            .divide(BigDecimal.valueOf(Math.max(1, p.daysTotal())), 4, RoundingMode.DOWN));
                });
            }
        }
    }
}
