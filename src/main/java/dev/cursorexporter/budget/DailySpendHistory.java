package dev.cursorexporter.budget;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.SpendSnapshot;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Spend per team and UTC day, in USD, for the run-rate of {@link SpendForecast}, from two sources:
 *
 * <ul>
 *   <li>the store's daily spend snapshots (cycle-to-date, one per member and day): a member's spend on day d is
 *   snapshot(d) − snapshot(d−1) when both exist and belong to the same billing cycle. This is what Cursor
 *   bills, but exists only for days the exporter was running;</li>
 *   <li>otherwise that member's usage-event cost of day d, which backfill provides for the whole history, so a
 *   fresh install (mid-cycle, one snapshot) still has a run-rate. A cycle rollover (snapshot values reset)
 *   also falls back to it for the day of the rollover instead of producing a negative increment.</li>
 * </ul>
 *
 * A day counts as observed when usage events are stored for it or at least one snapshot pair covers it; days
 * without either are left out rather than counted as zero.
 */
public final class DailySpendHistory {

    private DailySpendHistory() {
    }

    /**
     * @param from          first day wanted
     * @param to            last day wanted
     * @param snapshots     snapshots of days {@code from − 1} .. {@code to}
     * @param eventCosts    usage-event cost per day and e-mail (grouped by user) for {@code from} .. {@code to}
     * @param eventDays     days whose usage events are stored completely
     * @param teamOf        e-mail → team
     * @param teams         teams that get a zero for an observed day on which they spent nothing
     * @return team → day → USD, observed days only
     */
    public static Map<String, Map<LocalDate, BigDecimal>> byTeam(
            LocalDate from, LocalDate to, List<SpendSnapshot> snapshots, List<DailyUsageCost> eventCosts,
            Set<LocalDate> eventDays, Function<String, String> teamOf, Set<String> teams) {
        Map<String, Map<LocalDate, SpendSnapshot>> byMember = new HashMap<>();
        for (SpendSnapshot s : snapshots) {
            byMember.computeIfAbsent(s.email(), e -> new HashMap<>()).put(s.day(), s);
        }
        Map<LocalDate, Map<String, BigDecimal>> costs = new HashMap<>();
        for (DailyUsageCost c : eventCosts) {
            String email = c.email() == null ? "" : c.email();
            costs.computeIfAbsent(c.day(), d -> new HashMap<>()).merge(email, c.costCents(), BigDecimal::add);
        }
        Map<String, Map<LocalDate, BigDecimal>> out = new TreeMap<>();
        Set<LocalDate> observed = new HashSet<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            boolean eventsStored = eventDays.contains(day);
            Map<String, BigDecimal> dayCosts = costs.getOrDefault(day, Map.of());
            Map<String, BigDecimal> cents = new HashMap<>();
            Set<String> fromSnapshots = new HashSet<>();
            for (Map.Entry<String, Map<LocalDate, SpendSnapshot>> member : byMember.entrySet()) {
                SpendSnapshot today = member.getValue().get(day);
                SpendSnapshot before = member.getValue().get(day.minusDays(1));
                if (today != null && before != null && today.cycleStart() != null
                        && Objects.equals(today.cycleStart(), before.cycleStart())) {
                    cents.put(member.getKey(), today.cycleSpendCents().subtract(before.cycleSpendCents())
                            .max(BigDecimal.ZERO));
                    fromSnapshots.add(member.getKey());
                }
            }
            if (!eventsStored && fromSnapshots.isEmpty()) {
                continue;
            }
            observed.add(day);
            if (eventsStored) {
                dayCosts.forEach((email, c) -> {
                    if (!fromSnapshots.contains(email)) {
                        cents.merge(email, c, BigDecimal::add);
                    }
                });
            }
            for (Map.Entry<String, BigDecimal> member : cents.entrySet()) {
                out.computeIfAbsent(teamOf.apply(member.getKey()), t -> new TreeMap<>())
                        .merge(day, Money.usd(member.getValue()), BigDecimal::add);
            }
        }
        // an observed day without spend is a zero, not a gap: it must pull the mean down
        for (String team : teams) {
            out.computeIfAbsent(team, t -> new TreeMap<>());
        }
        for (Map<LocalDate, BigDecimal> team : out.values()) {
            observed.forEach(day -> team.putIfAbsent(day, BigDecimal.ZERO));
        }
        return out;
    }
}
