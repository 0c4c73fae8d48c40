package dev.cursorexporter.budget;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredMember;
import dev.cursorexporter.store.StoredSpend;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Budget, spend so far and forecast per team, and the cycle end per account, read from the store. Teams are
 * directory team label values; a team's figures are summed over accounts (budgets are per team, whatever
 * account its members are billed through). Thread-safe (stateless between calls).
 */
public final class TeamSpendPlanner {

    private final StoreReader store;
    private final DailyQueries queries;
    private final Supplier<Budgets> budgets;
    private final Clock clock;

    public TeamSpendPlanner(StoreReader store, DailyQueries queries, Budgets budgets, Clock clock) {
        this(store, queries, () -> budgets, clock);
    }

    /** @param budgets asked at every report: the budgets of the configuration running then (a reload swaps them) */
    public TeamSpendPlanner(StoreReader store, DailyQueries queries, Supplier<Budgets> budgets, Clock clock) {
        this.store = store;
        this.queries = queries;
        this.budgets = budgets;
        this.clock = clock;
    }

    /**
     * @param budgets   USD per cycle: listed teams always, other teams with current members when there is a default
     * @param forecasts USD at cycle end, for every team with a current member or spend this cycle
     * @param cycleEnds end of the current cycle per account (accounts whose spend was never fetched have none)
     */
    public record Report(Map<String, BigDecimal> budgets, Map<String, BigDecimal> forecasts,
                         Map<String, Instant> cycleEnds) {
    }

    public Report report(List<String> accounts, Directory directory) {
        Instant now = clock.instant();
        Set<String> teamsWithMembers = new TreeSet<>();
        Map<String, BigDecimal> forecasts = new TreeMap<>();
        Map<String, Instant> cycleEnds = new TreeMap<>();
        for (String account : accounts) {
            Set<String> teams = new TreeSet<>();
            for (StoredMember m : store.members(account)) {
                if (!m.removed()) {
                    teams.add(directory.lookup(m.email()).team());
                }
            }
            teamsWithMembers.addAll(teams);
            Optional<Instant> reported = store.cycleStart(account);
            if (reported.isEmpty()) {
                continue;
            }
            BillingCycle cycle = BillingCycle.containing(reported.get(), now);
            cycleEnds.put(account, cycle.end());
            Map<String, BigDecimal> spent = spentSoFar(account, directory, cycle, reported.get(), now);
            teams.addAll(spent.keySet());
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            LocalDate from = today.minusDays(SpendForecast.WINDOW_DAYS);
            LocalDate to = today.minusDays(1);
            Map<String, Map<LocalDate, BigDecimal>> history = DailySpendHistory.byTeam(from, to,
                    queries.spendSnapshots(account, from.minusDays(1), to),
                    queries.dailyUsageCost(DailyQuery.days(from, to).withAccounts(Set.of(account)).groupByUser()),
                    store.coveredDays(account, Source.USAGE_EVENTS), e -> directory.lookup(e).team(), teams);
            for (String team : teams) {
                SpendForecast.Result r = SpendForecast.forecast(spent.getOrDefault(team, BigDecimal.ZERO),
                        history.getOrDefault(team, Map.of()), cycle, now);
                forecasts.merge(team, r.forecastUsd(), BigDecimal::add);
            }
        }
        return new Report(budgetsOf(teamsWithMembers), forecasts, cycleEnds);
    }

    /**
     * Σ cycle spend of the team's members; when the stored spend belongs to a cycle that has ended (no spend poll
     * since the rollover), Σ usage-event cost since the new cycle's first day instead.
     */
    private Map<String, BigDecimal> spentSoFar(String account, Directory directory, BillingCycle cycle,
                                               Instant reportedStart, Instant now) {
        Map<String, BigDecimal> spent = new HashMap<>();
        if (cycle.start().equals(reportedStart)) {
            for (StoredSpend s : store.currentSpend(account)) {
                spent.merge(directory.lookup(s.email()).team(), Money.usd(s.cycleSpendCents()), BigDecimal::add);
            }
            return spent;
        }
        LocalDate first = LocalDate.ofInstant(cycle.start(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (DailyUsageCost c : queries.dailyUsageCost(
                DailyQuery.days(first, last).withAccounts(Set.of(account)).groupByUser())) {
            spent.merge(directory.lookup(c.email()).team(), Money.usd(c.costCents()), BigDecimal::add);
        }
        return spent;
    }

    private Map<String, BigDecimal> budgetsOf(Set<String> teamsWithMembers) {
        Budgets current = budgets.get();
        Map<String, BigDecimal> out = new TreeMap<>(current.teams());
        current.defaultBudget().ifPresent(d -> teamsWithMembers.forEach(t -> out.putIfAbsent(t, d)));
        return out;
    }
}
