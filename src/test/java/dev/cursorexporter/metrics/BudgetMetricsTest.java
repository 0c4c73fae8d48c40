package dev.cursorexporter.metrics;

import dev.cursorexporter.budget.TeamSpendPlanner;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BudgetMetricsTest {
    private static final Budgets BUDGETS =
            new Budgets(Optional.of(new BigDecimal("100")), Map.of("Platform", new BigDecimal("500")));

    @TempDir
    Path dir;

    @Test
    void budgetsPerTeamForecastsFromThePlannerAndTheCycleEnd() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            MetricsFixture.spend(store);
            TeamSpendPlanner planner = new TeamSpendPlanner(store, store.daily(), BUDGETS, MetricsFixture.CLOCK);
            // The forecast method is SpendForecastTest's subject; here the group shows the planner's figures.
            Map<String, BigDecimal> forecasts =
                    planner.report(List.of(MetricsFixture.ACCOUNT), MetricsFixture.DIRECTORY).forecasts();
            assertEquals(List.of("Payments", "Platform"), List.copyOf(forecasts.keySet()));
            // Platform is listed (500), Payments has members and gets the default (100). The cycle started 03-01
            // and ends a month later, 2026-04-01T00:00Z.
            assertEquals("""
                    cursor_cycle_end_timestamp_seconds 1.7750016E9
                    cursor_team_budget_usd{team="Payments"} 100.0
                    cursor_team_budget_usd{team="Platform"} 500.0
                    cursor_team_cycle_spend_forecast_usd{team="Payments"} %s
                    cursor_team_cycle_spend_forecast_usd{team="Platform"} %s
                    """.formatted(forecasts.get("Payments").doubleValue(), forecasts.get("Platform").doubleValue()),
                    GroupExposition.of(new BudgetMetrics(store, MetricsFixture.CLOCK, Optional.of(planner),
                            Freshness.defaults())).samples());
        }
    }

    @Test
    void billingGroupsNameTheCycleEndAndWithoutBudgetsOnlyItIsShown() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.spend(store);
            store.enterprise().saveBillingGroups(MetricsFixture.ACCOUNT, new BillingGroups(List.of(),
                    Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-31T12:00:00Z")), MetricsFixture.NOW);
            assertEquals("""
                    cursor_cycle_end_timestamp_seconds 1.7749584E9
                    """, GroupExposition.of(new BudgetMetrics(store, MetricsFixture.CLOCK, Optional.empty(),
                    Freshness.defaults())).samples());
        }
    }

    @Test
    void aCycleStartFromAnEarlierCycleEndsInTheCycleOfToday() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.saveSpend(MetricsFixture.ACCOUNT, new SpendReport(List.of(),
                    Instant.parse("2026-01-15T06:00:00Z")), MetricsFixture.NOW);
            // 01-15, 02-15, 03-15 06:00 (the cycle of 03-18), ending 04-15 06:00
            assertEquals("""
                    cursor_cycle_end_timestamp_seconds 1.7762328E9
                    """, GroupExposition.of(new BudgetMetrics(store, MetricsFixture.CLOCK, Optional.empty(),
                    Freshness.defaults())).samples());
        }
    }
}
