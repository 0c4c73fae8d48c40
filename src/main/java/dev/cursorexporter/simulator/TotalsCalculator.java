package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the generated model into {@link SimulatorTotals}. It reads {@link SimEvent}s and {@link DailyActivity}
 * directly and applies the exporter's documented rules itself (cost, billing class), so it shares nothing with
 * the JSON writer except the data.
 */
final class TotalsCalculator {
    private static final int[] ACTIVE_WINDOWS = {1, 7, 28};

    private TotalsCalculator() {
    }

    static SimulatorTotals compute(UsageModel usage, Profile profile, long seed) {
        EnterpriseTotals enterprise = EnterpriseTotals.compute(usage, seed);
        Instant now = usage.now();
        long nowMs = now.toEpochMilli();
        long today = UsageModel.dayOf(nowMs);
        long firstDay = usage.firstServedDay(nowMs);
        List<SimMember> members = usage.org().members();

        long totalEvents = 0;
        long duplicates = 0;
        long withoutEmail = 0;
        BigDecimal totalCost = BigDecimal.ZERO;
        Map<String, BigDecimal> costByModel = new TreeMap<>();
        Map<String, BigDecimal> costByUser = new TreeMap<>();
        Map<String, BigDecimal> costByDay = new TreeMap<>();
        Map<String, Long> byBilling = new TreeMap<>();
        for (String b : List.of("included", "usage_based", "byok", "not_charged", "other")) {
            byBilling.put(b, 0L);
        }
        Map<String, Long> byModel = new TreeMap<>();
        Map<String, Long> byUser = new TreeMap<>();
        Map<String, Map<String, Long>> byUserModel = new TreeMap<>();
        Map<String, BigDecimal> costByActor = new TreeMap<>();
        Map<String, Long> byActor = new TreeMap<>();
        long[] tokens = new long[4];

        Map<String, Long> linesAdded = new TreeMap<>();
        Map<String, Long> aiLines = new TreeMap<>();
        Map<String, Long> tabsShown = new TreeMap<>();
        Map<String, Long> tabsAccepted = new TreeMap<>();
        Map<String, Map<String, Long>> features = new TreeMap<>();
        long[] lastActiveDay = new long[members.size()];
        Arrays.fill(lastActiveDay, Long.MIN_VALUE);

        for (long day = firstDay; day <= today; day++) {
            BigDecimal dayCost = BigDecimal.ZERO;
            SimEvent previous = null;
            for (SimEvent e : usage.day(day).newestFirst()) {
                if (e.timestamp() > nowMs) {
                    continue;
                }
                SimMember m = members.get(e.memberIndex());
                String user = user(e, m, profile);
                String actor = actor(e, profile);
                BigDecimal cost = cost(e, profile);
                totalEvents++;
                if (previous != null && previous.equals(e)) {
                    duplicates++;
                }
                previous = e;
                if (m.removed()) {
                    withoutEmail++;
                }
                totalCost = totalCost.add(cost);
                dayCost = dayCost.add(cost);
                costByModel.merge(e.model(), cost, BigDecimal::add);
                costByUser.merge(user, cost, BigDecimal::add);
                byBilling.merge(billing(e.kind().label()), 1L, Long::sum);
                byModel.merge(e.model(), 1L, Long::sum);
                byUser.merge(user, 1L, Long::sum);
                byUserModel.computeIfAbsent(user, k -> new TreeMap<>()).merge(e.model(), 1L, Long::sum);
                costByActor.merge(actor, cost, BigDecimal::add);
                byActor.merge(actor, 1L, Long::sum);
                tokens[0] += e.tokens().input();
                tokens[1] += e.tokens().output();
                tokens[2] += e.tokens().cacheRead();
                tokens[3] += e.tokens().cacheWrite();
            }
            costByDay.put(LocalDate.ofEpochDay(day).toString(), SpendFigures.plain(dayCost));

            for (SimMember m : members) {
                if (m.removed() || !m.memberOn(day)) {
                    continue;
                }
                DailyActivity a = usage.daily(m, day, nowMs);
                String user = m.key();
                linesAdded.merge(user, a.totalLinesAdded(), Long::sum);
                aiLines.merge(user, a.acceptedLinesAdded(), Long::sum);
                tabsShown.merge(user, a.totalTabsShown(), Long::sum);
                tabsAccepted.merge(user, a.totalTabsAccepted(), Long::sum);
                Map<String, Long> f = features.computeIfAbsent(user, k -> new TreeMap<>());
                for (Feature feature : Feature.values()) {
                    f.merge(feature.key(), a.featureRequests(feature), Long::sum);
                }
                if (a.active()) {
                    lastActiveDay[m.index()] = day;
                }
            }
        }

        Map<String, Long> tokensByType = new TreeMap<>();
        tokensByType.put("input", tokens[0]);
        tokensByType.put("output", tokens[1]);
        tokensByType.put("cache_read", tokens[2]);
        tokensByType.put("cache_write", tokens[3]);

        long cycleStart = usage.org().cycleStart(now).toEpochMilli();
        List<UsageModel.ExactSpend> exact = usage.cycleSpend(cycleStart, nowMs);
        Map<String, BigDecimal> cycleSpend = new TreeMap<>();
        Map<String, BigDecimal> onDemand = new TreeMap<>();
        Map<String, BigDecimal> teamSpend = new TreeMap<>();
        Map<String, Integer> limits = new TreeMap<>();
        Map<String, Long> roles = new TreeMap<>();
        Map<String, Integer> active = new TreeMap<>();
        Map<String, Map<String, Integer>> activeByTeam = new TreeMap<>();
        for (int w : ACTIVE_WINDOWS) {
            active.put(w + "d", 0);
        }
        for (SimMember m : members) {
            if (m.removed()) {
                continue;
            }
            SpendFigures spend = SpendFigures.of(profile, exact.get(m.index()));
            cycleSpend.put(m.key(), spend.cycleSpendCents());
            onDemand.put(m.key(), spend.onDemandCents());
            teamSpend.merge(m.team(), spend.cycleSpendCents(), BigDecimal::add);
            if (m.monthlyLimitDollars() != null) {
                limits.put(m.key(), m.monthlyLimitDollars());
            }
            roles.merge(m.role(), 1L, Long::sum);
            Map<String, Integer> teamActive = activeByTeam.computeIfAbsent(m.team(), k -> new TreeMap<>());
            for (int w : ACTIVE_WINDOWS) {
                String key = w + "d";
                boolean isActive = lastActiveDay[m.index()] >= today - w + 1;
                teamActive.merge(key, isActive ? 1 : 0, Integer::sum);
                if (isActive) {
                    active.merge(key, 1, Integer::sum);
                }
            }
        }

        return new SimulatorTotals(profile.id(), nowMs, LocalDate.ofEpochDay(firstDay).toString(),
                LocalDate.ofEpochDay(today).toString(), cycleStart, totalEvents, duplicates, withoutEmail,
                SpendFigures.plain(totalCost), plainValues(costByModel), plainValues(costByUser), frozen(costByDay),
                frozen(byBilling), frozen(byModel), frozen(byUser), frozenNested(byUserModel), frozen(tokensByType),
                frozen(cycleSpend), frozen(onDemand), plainValues(teamSpend), frozen(limits), frozen(roles),
                frozen(linesAdded), frozen(aiLines), frozen(tabsShown), frozen(tabsAccepted),
                frozenNested(features), frozen(active), frozenNested(activeByTeam),
                enterprise.aiCodeLinesAddedByUser(), enterprise.aiCodeCommitsByUser(), enterprise.dauByDay(),
                enterprise.modelMessagesByModel(), enterprise.agentEditsByOutcome(),
                enterprise.billingGroupSpendCentsByGroup(), enterprise.billingGroupByUser(), enterprise.auditEventsByType(), enterprise.cycleEndMs(),
                plainValues(costByActor), frozen(byActor));
    }

    /**
     * The exporter's user key of an event (DESIGN.md): the member's e-mail as sent; a service account's event sent
     * without one is {@code sa:<name or id>}; any other event without one (a removed member's) is {@code unknown}.
     */
    static String user(SimEvent e, SimMember m, Profile profile) {
        boolean docs = profile == Profile.DOCS_LATEST;
        boolean sentEmail = !m.removed() && !(docs && e.caller().withoutEmail());
        if (sentEmail) {
            return m.key();
        }
        return docs && e.caller().serviceAccount() ? e.caller().serviceAccountKey() : SimulatorTotals.UNKNOWN_USER;
    }

    /**
     * The exporter's {@code actor} of an event from the caller fields the profile sends (only docs-latest has
     * them): service account, else automation, else cloud agent, else human.
     */
    static String actor(SimEvent e, Profile profile) {
        if (profile != Profile.DOCS_LATEST) {
            return "human";
        } else if (e.caller().serviceAccount()) {
            return "service_account";
        } else if (e.caller().automationId() != null) {
            return "automation";
        }
        return e.cloudAgentId() != null ? "cloud_agent" : "human";
    }

    /** The exporter's cost rule (DESIGN.md "Sync contract"), applied to the fields the profile sends. */
    static BigDecimal cost(SimEvent e, Profile profile) {
        if (e.kind().label().contains("Not Charged")) {
            return BigDecimal.ZERO;
        }
        return profile == Profile.DOCS_LATEST ? e.chargedCents() : e.totalCents().add(e.cursorTokenFee());
    }

    /** The exporter's {@code billing} label for a {@code kind}. */
    static String billing(String kind) {
        if (kind.contains("Not Charged")) {
            return "not_charged";
        } else if (kind.startsWith("Included")) {
            return "included";
        } else if (kind.startsWith("Usage-based")) {
            return "usage_based";
        } else if (kind.equals("User API Key")) {
            return "byok";
        }
        return "other";
    }

    private static Map<String, BigDecimal> plainValues(Map<String, BigDecimal> map) {
        Map<String, BigDecimal> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, SpendFigures.plain(v)));
        return Collections.unmodifiableMap(out);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    private static <V> Map<String, Map<String, V>> frozenNested(Map<String, Map<String, V>> map) {
        Map<String, Map<String, V>> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, frozen(v)));
        return Collections.unmodifiableMap(out);
    }
}
