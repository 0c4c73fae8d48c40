package dev.cursorexporter.metrics;

import dev.cursorexporter.budget.BillingCycle;
import dev.cursorexporter.budget.TeamSpendPlanner;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.StoreReader;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The billing cycle's end and, when budgets are configured, each team's budget and spend forecast. Budgets are per
 * team across accounts (a team's members may be billed through several), so those two carry {@code team} only.
 */
final class BudgetMetrics implements MetricGroup {
    static final String CYCLE_END = "cursor_cycle_end_timestamp_seconds";
    static final String TEAM_BUDGET = "cursor_team_budget_usd";
    static final String TEAM_FORECAST = "cursor_team_cycle_spend_forecast_usd";
    private static final List<String> NAMES = List.of(CYCLE_END, TEAM_BUDGET, TEAM_FORECAST);

    private static final String CYCLE_END_HELP = "End of the current billing cycle as a Unix timestamp: "
            + "billingCycle.cycleEnd of the billing groups (Enterprise) when known, else subscriptionCycleStart + 1 "
            + "month; ";
    private static final String TEAM_BUDGET_HELP = "Configured budget of the team in USD per billing cycle "
            + "(budgets.teams, else budgets.default for teams with members).";
    private static final String TEAM_FORECAST_HELP = "Projected team spend in USD at the end of the billing cycle: "
            + "spend so far plus the weekday and weekend daily rates of the last 14 days over the time left; "
            + "refreshed after each poll.";

    private final StoreReader store;
    private final Clock clock;
    private final Optional<TeamSpendPlanner> planner;
    private final String cycleEndFresh;

    /** @param planner budgets and forecasts; empty = none of those series (the cycle end is shown regardless) */
    BudgetMetrics(StoreReader store, Clock clock, Optional<TeamSpendPlanner> planner, Freshness freshness) {
        this.store = store;
        this.clock = clock;
        this.planner = planner;
        this.cycleEndFresh = freshness.afterPoll(Source.SPEND) + " or " + freshness.poll(Source.BILLING_GROUPS) + ".";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder cycleEnd = draft.gauge(CYCLE_END, CYCLE_END_HELP + cycleEndFresh, draft.accountLabels());
        FamilyBuilder teamBudget = draft.gauge(TEAM_BUDGET, TEAM_BUDGET_HELP, List.of("team"));
        FamilyBuilder teamForecast = draft.gauge(TEAM_FORECAST, TEAM_FORECAST_HELP, List.of("team"));
        for (String account : draft.accounts()) {
            // Cursor's own cycle end when billing groups report it, else one month after subscriptionCycleStart.
            Optional<Instant> end = store.enterprise().billingCycleEnd(account).or(() -> store.cycleStart(account)
                    .map(start -> BillingCycle.containing(start, clock.instant()).end()));
            end.ifPresent(e -> cycleEnd.add(draft.accountValues(account), e));
        }
        planner.ifPresent(p -> {
            TeamSpendPlanner.Report report = p.report(draft.accounts(), draft.directory());
            report.budgets().forEach((team, usd) -> teamBudget.add(List.of(team), usd));
            report.forecasts().forEach((team, usd) -> teamForecast.add(List.of(team), usd));
        });
    }
}
