package dev.cursorexporter.dashboards;

import dev.cursorexporter.simulator.SimulatorFacts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@code /api/v1/daily}, {@code /api/v1/totals} or {@code /api/v1/reconciliation} question must answer,
 * added up from the simulator's {@link SimulatorFacts} (and what its OpenTelemetry Export pushed) with the API's
 * documented rules (team and location from the directory, {@code unassigned}/{@code unknown} for members it does not
 * know, shares null below their thresholds). Only questions whose filters are all "All" are answered: a board's
 * default view.
 */
final class BoardOracle {
    /** Fields a usage-event row sums. */
    static final Set<String> USAGE_FIGURES = Set.of("costUsd", "requests", "inputTokens", "outputTokens",
            "cacheReadTokens", "cacheWriteTokens");
    /** Fields a daily-usage row sums. */
    static final Set<String> ACTIVITY_FIGURES = Set.of("activeUsers", "linesAdded", "aiLinesAdded", "tabsShown",
            "tabsAccepted", "chatRequests", "composerRequests", "agentRequests", "cmdkUsages", "bugbotUsages");
    private static final Map<String, String> FEATURE_FIELDS = Map.of("chat", "chatRequests", "composer",
            "composerRequests", "agent", "agentRequests", "cmdk", "cmdkUsages", "bugbot", "bugbotUsages");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final SimulatorFacts facts;

    BoardOracle(SimulatorFacts facts) {
        this.facts = facts;
    }

    /**
     * The expected rows, keyed by the group values in {@code by} order ({@code date} first for daily answers);
     * each row maps a field to a BigDecimal, or to null where the API must say null.
     *
     * @param by dimension keys, already in the API's order
     */
    Map<List<String>, Map<String, BigDecimal>> answer(boolean daily, List<String> by, LocalDate from, LocalDate to) {
        boolean activity = by.stream().noneMatch(d -> d.equals("model") || d.equals("billing") || d.equals("actor"));
        Map<List<String>, Map<String, BigDecimal>> out = new TreeMap<>(BoardOracle::compare);
        for (SimulatorFacts.Usage u : facts.usage()) {
            if (!inRange(u.day(), from, to)) {
                continue;
            }
            Map<String, BigDecimal> row = out.computeIfAbsent(key(daily, by, u.day(), u.user(), u.model(),
                    u.billing(), u.actor()), k -> new HashMap<>());
            add(row, "costUsd", u.costCents().divide(HUNDRED));
            add(row, "requests", BigDecimal.valueOf(u.requests()));
            add(row, "inputTokens", BigDecimal.valueOf(u.inputTokens()));
            add(row, "outputTokens", BigDecimal.valueOf(u.outputTokens()));
            add(row, "cacheReadTokens", BigDecimal.valueOf(u.cacheReadTokens()));
            add(row, "cacheWriteTokens", BigDecimal.valueOf(u.cacheWriteTokens()));
        }
        if (activity) {
            Map<List<String>, Set<String>> active = new HashMap<>();
            for (SimulatorFacts.Activity a : facts.activity()) {
                if (!inRange(a.day(), from, to)) {
                    continue;
                }
                List<String> key = key(daily, by, a.day(), a.user(), null, null, null);
                Map<String, BigDecimal> row = out.computeIfAbsent(key, k -> new HashMap<>());
                add(row, "linesAdded", BigDecimal.valueOf(a.linesAdded()));
                add(row, "aiLinesAdded", BigDecimal.valueOf(a.aiLinesAdded()));
                add(row, "tabsShown", BigDecimal.valueOf(a.tabsShown()));
                add(row, "tabsAccepted", BigDecimal.valueOf(a.tabsAccepted()));
                a.features().forEach((f, n) -> add(row, FEATURE_FIELDS.get(f), BigDecimal.valueOf(n)));
                Set<String> users = active.computeIfAbsent(key, k -> new HashSet<>());
                if (a.active()) {
                    users.add(a.user());
                }
            }
            active.forEach((k, users) -> out.get(k).put("activeUsers", BigDecimal.valueOf(users.size())));
        }
        for (Map<String, BigDecimal> row : out.values()) {
            for (String f : USAGE_FIGURES) {
                row.putIfAbsent(f, BigDecimal.ZERO);
            }
            long tokens = row.get("inputTokens").add(row.get("outputTokens")).add(row.get("cacheReadTokens"))
                    .add(row.get("cacheWriteTokens")).longValueExact();
            row.put("costPerMillionTokens", tokens < 10_000 ? null : row.get("costUsd")
                    .multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(tokens), 4, RoundingMode.HALF_EVEN));
            if (activity) {
                for (String f : ACTIVITY_FIGURES) {
                    row.putIfAbsent(f, BigDecimal.ZERO);
                }
                row.put("aiLinesShare", share(row.get("aiLinesAdded"), row.get("linesAdded"), 100));
                row.put("tabAcceptance", share(row.get("tabsAccepted"), row.get("tabsShown"), 50));
            }
        }
        return out;
    }

    /**
     * What {@code /api/v1/reconciliation} must answer for {@code from}..{@code to}, keyed [date, team]: the estimate
     * from what the simulator pushed per day of its points' time ({@code pushedUsd}: (day, user) → USD), the settled
     * cost from its usage rows, both by the directory's team; the estimate null on days nothing was pushed for, the
     * difference and ratio null where the API says null. Every team seen in the range has every day.
     */
    Map<List<String>, Map<String, BigDecimal>> reconciliation(Map<List<String>, BigDecimal> pushedUsd,
                                                               LocalDate from, LocalDate to) {
        Map<String, Map<String, BigDecimal>> estimated = new HashMap<>();
        pushedUsd.forEach((k, usd) -> {
            if (inRange(k.get(0), from, to)) {
                estimated.computeIfAbsent(k.get(0), d -> new HashMap<>()).merge(team(k.get(1)), usd,
                        BigDecimal::add);
            }
        });
        Map<String, Map<String, BigDecimal>> settled = new HashMap<>();
        for (SimulatorFacts.Usage u : facts.usage()) {
            if (inRange(u.day(), from, to)) {
                settled.computeIfAbsent(u.day(), d -> new HashMap<>()).merge(team(u.user()),
                        u.costCents().divide(HUNDRED), BigDecimal::add);
            }
        }
        Set<String> teams = new java.util.TreeSet<>();
        estimated.values().forEach(m -> teams.addAll(m.keySet()));
        settled.values().forEach(m -> teams.addAll(m.keySet()));
        Map<List<String>, Map<String, BigDecimal>> out = new TreeMap<>(BoardOracle::compare);
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            String day = d.toString();
            for (String team : teams) {
                Map<String, BigDecimal> row = new HashMap<>();
                BigDecimal s = settled.getOrDefault(day, Map.of()).getOrDefault(team, BigDecimal.ZERO);
                BigDecimal e = estimated.containsKey(day)
                        ? estimated.get(day).getOrDefault(team, BigDecimal.ZERO) : null;
                row.put("settledUsd", s);
                row.put("estimatedUsd", e);
                row.put("differenceUsd", e == null ? null : e.subtract(s));
                row.put("ratio", e == null || s.signum() == 0 ? null : e.divide(s, 4, RoundingMode.HALF_EVEN));
                out.put(List.of(day, team), row);
            }
        }
        return out;
    }

    private String team(String user) {
        return facts.teamByUser().getOrDefault(user, "unassigned");
    }

    private List<String> key(boolean daily, List<String> by, String day, String user, String model, String billing,
                             String actor) {
        List<String> key = new ArrayList<>();
        if (daily) {
            key.add(day);
        }
        for (String d : by) {
            key.add(switch (d) {
                case "user" -> user;
                case "team" -> team(user);
                case "location" -> facts.locationByUser().getOrDefault(user, "unknown");
                case "model" -> model;
                case "billing" -> billing;
                case "actor" -> actor;
                default -> throw new IllegalArgumentException("by=" + d);
            });
        }
        return List.copyOf(key);
    }

    private static boolean inRange(String day, LocalDate from, LocalDate to) {
        LocalDate d = LocalDate.parse(day);
        return !d.isBefore(from) && !d.isAfter(to);
    }

    private static void add(Map<String, BigDecimal> row, String field, BigDecimal v) {
        row.merge(field, v, BigDecimal::add);
    }

    private static BigDecimal share(BigDecimal part, BigDecimal whole, long min) {
        if (whole.longValueExact() < min) {
            return null;
        }
        return part.divide(whole, 4, RoundingMode.HALF_EVEN);
    }

    private static int compare(List<String> a, List<String> b) {
        return String.join("\u0000", a).compareTo(String.join("\u0000", b));
    }
}
