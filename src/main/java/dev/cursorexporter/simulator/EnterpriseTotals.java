package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Enterprise part of {@link SimulatorTotals}, added up from the events directly (like {@link TotalsCalculator})
 * rather than from the JSON the Enterprise endpoints write. Only the number of commits per member-day is shared
 * with {@link EnterpriseData}: it is part of the model, not of any sum.
 */
record EnterpriseTotals(Map<String, Map<String, Long>> aiCodeLinesAddedByUser,
                        Map<String, Long> aiCodeCommitsByUser,
                        Map<String, Long> dauByDay,
                        Map<String, Long> modelMessagesByModel,
                        Map<String, Long> agentEditsByOutcome,
                        Map<String, BigDecimal> billingGroupSpendCentsByGroup,
                        Map<String, String> billingGroupByUser,
                        Map<String, Long> auditEventsByType,
                        long cycleEndMs) {

    static EnterpriseTotals compute(UsageModel usage, long seed) {
        EnterpriseData model = new EnterpriseData(usage, seed);
        long nowMs = usage.now().toEpochMilli();
        long today = UsageModel.dayOf(nowMs);
        Map<String, Map<String, Long>> lines = new TreeMap<>();
        Map<String, Long> commits = new TreeMap<>();
        Map<String, Long> dau = new TreeMap<>();
        Map<String, Long> messages = new TreeMap<>();
        Map<String, Long> edits = new TreeMap<>();
        Map<String, Long> audit = new TreeMap<>();
        for (long day = usage.firstServedDay(nowMs); day <= today; day++) {
            Set<Integer> active = new HashSet<>();
            for (SimMember m : usage.org().members()) {
                List<SimEvent> events = usage.visibleEvents(m, day, nowMs);
                if (events.isEmpty()) {
                    continue;
                }
                active.add(m.index());
                audit.merge("login", 1L, Long::sum);
                long accepted = 0;
                long total = 0;
                long tabsAccepted = 0;
                for (SimEvent e : events) {
                    SimEvent.EditorActivity a = e.activity();
                    accepted += a.acceptedLinesAdded();
                    total += a.linesAdded();
                    tabsAccepted += a.tabsAccepted();
                    messages.merge(e.model(), 1L, Long::sum);
                    if (a.feature() == Feature.AGENT || a.feature() == Feature.COMPOSER) {
                        edits.merge("suggested", (long) a.applies(), Long::sum);
                        edits.merge("accepted", (long) a.accepts(), Long::sum);
                        edits.merge("rejected", (long) a.rejects(), Long::sum);
                    }
                }
                long tab = Math.min(accepted, tabsAccepted);
                Map<String, Long> user = lines.computeIfAbsent(m.key(), k -> new TreeMap<>());
                user.merge("tab", tab, Long::sum);
                user.merge("composer", accepted - tab, Long::sum);
                user.merge("non_ai", Math.max(0, total - accepted), Long::sum);
                commits.merge(m.key(), model.commitsOn(m, day), Long::sum);
            }
            dau.put(LocalDate.ofEpochDay(day).toString(), (long) active.size());
            if (EnterpriseData.settingsChangedOn(day)
                    && UsageModel.dayStartMs(day) + ActivityGenerator.DAY_MS / 2 <= nowMs) {
                audit.merge("team_settings", 1L, Long::sum);
            }
        }
        Map<String, BigDecimal> groupSpend = new TreeMap<>();
        Map<String, String> groupOf = new TreeMap<>();
        long cycleStartMs = usage.org().cycleStart(usage.now()).toEpochMilli();
        List<UsageModel.ExactSpend> spend = usage.cycleSpend(cycleStartMs, nowMs);
        for (SimMember m : usage.org().currentMembers()) {
            groupSpend.merge(m.team(), EnterpriseData.wholeCents(spend.get(m.index()).overallCents()),
                    BigDecimal::add);
            groupOf.put(m.key(), m.team());
        }
        groupSpend.put(EnterpriseData.UNASSIGNED, BigDecimal.ZERO);
        Map<String, Map<String, Long>> frozenLines = new TreeMap<>();
        lines.forEach((k, v) -> frozenLines.put(k, Collections.unmodifiableMap(v)));
        return new EnterpriseTotals(Collections.unmodifiableMap(frozenLines), Collections.unmodifiableMap(commits),
                Collections.unmodifiableMap(dau), Collections.unmodifiableMap(messages),
                Collections.unmodifiableMap(edits), Collections.unmodifiableMap(groupSpend),
                Collections.unmodifiableMap(groupOf), Collections.unmodifiableMap(audit),
                model.cycleEnd().toEpochMilli());
    }
}
