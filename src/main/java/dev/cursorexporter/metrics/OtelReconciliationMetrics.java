package dev.cursorexporter.metrics;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.model.Source;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cursor's OpenTelemetry cost estimate against the Admin API's settled cost, per team, over a fixed window of event
 * days (issue 14, item 3): the newest settled days of {@link CostReconciliation}. Gauges from the store by event day,
 * like the cost windows, so an alert can watch the estimate drift without {@code increase()} over two counters that
 * learn the same day at different times. Per team, never per user; no {@code account} (OTel pushes carry none, the
 * settled side is summed over accounts).
 */
final class OtelReconciliationMetrics implements MetricGroup {
    static final String RATIO = "cursor_otel_cost_estimate_ratio";
    static final String DIFFERENCE = "cursor_otel_cost_estimate_difference_usd";
    private static final List<String> NAMES = List.of(RATIO, DIFFERENCE);
    /** The label value of the window: the newest settled days, at most {@link CostReconciliation#WINDOW_DAYS}. */
    static final String WINDOW = CostReconciliation.WINDOW_DAYS + "d";

    private static final String DAYS = " over the newest settled UTC event days (window=\"7d\": at most "
            + CostReconciliation.WINDOW_DAYS + " days within the last " + CostReconciliation.SEARCH_DAYS + " whose "
            + "usage events are stored for good and that have an estimate); a gauge over event days, from the store.";
    private static final String RATIO_HELP = "Cursor's OpenTelemetry cost estimate (cursor.cost.usage) divided by the "
            + "settled cost of the Admin API's usage events of the same days and team" + DAYS + " Only teams with "
            + "settled cost and an estimate; absent while the OTLP receiver is off or no settled day has an estimate.";
    private static final String DIFFERENCE_HELP = "Cursor's OpenTelemetry cost estimate minus the settled cost of "
            + "the Admin API's usage events, in USD, per team" + DAYS + " Teams with either; absent while the OTLP "
            + "receiver is off or no settled day has an estimate.";

    private final Optional<CostReconciliation> reconciliation;
    private final String fresh;

    /** @param reconciliation empty: the families stay empty (tests of other groups) */
    OtelReconciliationMetrics(Optional<CostReconciliation> reconciliation, Freshness freshness) {
        this.reconciliation = reconciliation;
        this.fresh = " Refreshed after each usage-events poll (" + freshness.every(Source.USAGE_EVENTS)
                + ") and OTLP request.";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder ratio = draft.gauge(RATIO, RATIO_HELP + fresh, List.of("team", "window"));
        FamilyBuilder difference = draft.gauge(DIFFERENCE, DIFFERENCE_HELP + fresh, List.of("team", "window"));
        if (reconciliation.isEmpty() || !reconciliation.get().receiverOn()) {
            return;
        }
        for (Map.Entry<String, CostReconciliation.Totals> e : reconciliation.get().lastSettledDays().byTeam()
                .entrySet()) {
            CostReconciliation.Totals t = e.getValue();
            List<String> labels = List.of(e.getKey(), WINDOW);
            if (t.settledUsd().signum() > 0 && t.estimatedUsd().signum() > 0) {
                ratio.add(labels, t.ratio());
            }
            difference.add(labels, t.differenceUsd());
        }
    }
}
