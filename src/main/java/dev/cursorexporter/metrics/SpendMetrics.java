package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredSpend;

import java.util.List;

/**
 * This billing cycle's spend per member, their spend limits and the cycle's start, as the last spend poll
 * ({@code POST /teams/spend}) reported them; the store keeps them already interpreted for both answer shapes.
 */
final class SpendMetrics implements MetricGroup {
    static final String CYCLE_SPEND = "cursor_cycle_spend_usd";
    static final String ON_DEMAND_SPEND = "cursor_cycle_on_demand_spend_usd";
    static final String SPEND_LIMIT = "cursor_user_spend_limit_usd";
    static final String CYCLE_START = "cursor_cycle_start_timestamp_seconds";
    private static final List<String> NAMES = List.of(CYCLE_SPEND, ON_DEMAND_SPEND, SPEND_LIMIT, CYCLE_START);

    private static final String CYCLE_SPEND_HELP = "Spend in USD this billing cycle: overallSpendCents if present, "
            + "else spendCents.";
    private static final String ON_DEMAND_SPEND_HELP = "On-demand (usage-based) spend in USD this billing cycle.";
    private static final String SPEND_LIMIT_HELP = "Effective per-user spend limit in USD, only for members who "
            + "have one.";
    private static final String CYCLE_START_HELP = "Start of the current billing cycle (subscriptionCycleStart) as "
            + "a Unix timestamp.";

    private final StoreReader store;
    private final String fresh;

    SpendMetrics(StoreReader store, Freshness freshness) {
        this.store = store;
        this.fresh = " Current billing cycle, from /teams/spend; " + freshness.afterPoll(Source.SPEND) + ".";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder cycleSpend = draft.gauge(CYCLE_SPEND, CYCLE_SPEND_HELP + fresh, draft.userLabels());
        FamilyBuilder onDemandSpend = draft.gauge(ON_DEMAND_SPEND, ON_DEMAND_SPEND_HELP + fresh, draft.userLabels());
        FamilyBuilder spendLimit = draft.gauge(SPEND_LIMIT, SPEND_LIMIT_HELP + fresh, draft.userLabels());
        FamilyBuilder cycleStart = draft.gauge(CYCLE_START, CYCLE_START_HELP + fresh, draft.accountLabels());
        for (String account : draft.accounts()) {
            for (StoredSpend s : store.currentSpend(account)) {
                List<String> user = draft.userValues(account, s.email());
                cycleSpend.add(user, Money.usd(s.cycleSpendCents()));
                onDemandSpend.add(user, Money.usd(s.onDemandSpendCents()));
                if (s.limitDollars() != null) {
                    spendLimit.add(user, s.limitDollars());
                }
            }
            store.cycleStart(account).ifPresent(start -> cycleStart.add(draft.accountValues(account), start));
        }
    }
}
