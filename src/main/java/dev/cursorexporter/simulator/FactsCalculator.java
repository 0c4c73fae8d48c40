package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Breaks the generated model down into {@link SimulatorFacts}, with the same rules as {@link TotalsCalculator}. */
final class FactsCalculator {
    private FactsCalculator() {
    }

    static SimulatorFacts compute(UsageModel usage, Profile profile) {
        long nowMs = usage.now().toEpochMilli();
        long today = UsageModel.dayOf(nowMs);
        long firstDay = usage.firstServedDay(nowMs);
        List<SimMember> members = usage.org().members();
        List<SimulatorFacts.Usage> usageRows = new ArrayList<>();
        List<SimulatorFacts.Activity> activityRows = new ArrayList<>();
        for (long day = firstDay; day <= today; day++) {
            String date = LocalDate.ofEpochDay(day).toString();
            Map<List<String>, long[]> counts = new TreeMap<>(FactsCalculator::compareKeys);
            Map<List<String>, BigDecimal> cost = new TreeMap<>(FactsCalculator::compareKeys);
            for (SimEvent e : usage.day(day).newestFirst()) {
                if (e.timestamp() > nowMs) {
                    continue;
                }
                SimMember m = members.get(e.memberIndex());
                List<String> key = List.of(TotalsCalculator.user(e, m, profile), e.model(),
                        TotalsCalculator.billing(e.kind().label()), TotalsCalculator.actor(e, profile));
                long[] c = counts.computeIfAbsent(key, k -> new long[5]);
                c[0]++;
                c[1] += e.tokens().input();
                c[2] += e.tokens().output();
                c[3] += e.tokens().cacheRead();
                c[4] += e.tokens().cacheWrite();
                cost.merge(key, TotalsCalculator.cost(e, profile), BigDecimal::add);
            }
            counts.forEach((k, c) -> usageRows.add(new SimulatorFacts.Usage(date, k.get(0), k.get(1), k.get(2),
                    SpendFigures.plain(cost.get(k)), c[0], c[1], c[2], c[3], c[4], k.get(3))));
            for (SimMember m : members) {
                if (m.removed() || !m.memberOn(day)) {
                    continue;
                }
                DailyActivity a = usage.daily(m, day, nowMs);
                Map<String, Long> features = new TreeMap<>();
                for (Feature f : Feature.values()) {
                    features.put(f.key(), a.featureRequests(f));
                }
                activityRows.add(new SimulatorFacts.Activity(date, m.key(), a.active(), a.totalLinesAdded(),
                        a.acceptedLinesAdded(), a.totalTabsShown(), a.totalTabsAccepted(),
                        Collections.unmodifiableMap(features)));
            }
        }
        Map<String, String> teams = new TreeMap<>();
        Map<String, String> locations = new TreeMap<>();
        for (SimMember m : members) {
            teams.put(m.key(), m.team());
            locations.put(m.key(), m.location());
        }
        return new SimulatorFacts(List.copyOf(usageRows), List.copyOf(activityRows),
                Collections.unmodifiableMap(teams), Collections.unmodifiableMap(locations));
    }

    private static int compareKeys(List<String> a, List<String> b) {
        return String.join("\u0000", a).compareTo(String.join("\u0000", b));
    }
}
