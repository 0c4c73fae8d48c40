package dev.cursorexporter.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The Enterprise view of the simulated organisation, derived from the same events as everything else: billing
 * groups are the directory teams, Analytics rows aggregate the day's events, and every member-day with activity
 * ends in 1–3 commits whose lines are that day's daily-usage lines (tab = min(accepted lines, accepted tabs),
 * composer = the rest of the accepted lines, non-AI = total − accepted).
 */
final class EnterpriseData {
    static final String UNASSIGNED = "Unassigned";
    private static final String[] MESSAGES = {"Fix flaky retry test", "Add pagination to list endpoint",
            "Refactor config loading", "Bump dependencies", "Handle empty responses"};

    private final UsageModel usage;
    private final long seed;

    EnterpriseData(UsageModel usage, long seed) {
        this.usage = usage;
        this.seed = seed;
    }

    UsageModel usage() {
        return usage;
    }

    // ---- billing groups -------------------------------------------------------------------------------------

    /** A group of the current cycle; spend figures in whole cents (as Cursor's examples show). */
    record Group(String id, String name, List<SimMember> members, Map<SimMember, BigDecimal> memberSpendCents,
                 BigDecimal spendCents, Map<Long, BigDecimal> dailySpendCents) {
    }

    /** One group per directory team with current members, in team order. */
    List<Group> groups() {
        Instant now = usage.now();
        long nowMs = now.toEpochMilli();
        long cycleStartMs = usage.org().cycleStart(now).toEpochMilli();
        List<UsageModel.ExactSpend> spend = usage.cycleSpend(cycleStartMs, nowMs);
        List<Group> out = new ArrayList<>();
        for (String team : Organisation.TEAMS) {
            List<SimMember> members = usage.org().currentMembers().stream()
                    .filter(m -> m.team().equals(team)).toList();
            if (members.isEmpty()) {
                continue;
            }
            Map<SimMember, BigDecimal> memberSpend = new LinkedHashMap<>();
            BigDecimal total = BigDecimal.ZERO;
            for (SimMember m : members) {
                BigDecimal cents = wholeCents(spend.get(m.index()).overallCents());
                memberSpend.put(m, cents);
                total = total.add(cents);
            }
            Map<Long, BigDecimal> daily = new TreeMap<>();
            for (long day = Math.max(UsageModel.dayOf(cycleStartMs), usage.org().historyStartDay());
                 day <= UsageModel.dayOf(nowMs); day++) {
                BigDecimal cents = BigDecimal.ZERO;
                for (SimMember m : members) {
                    for (SimEvent e : usage.day(day).byMember().get(m.index())) {
                        if (e.timestamp() >= cycleStartMs && e.timestamp() <= nowMs) {
                            cents = cents.add(e.chargedCents());
                        }
                    }
                }
                daily.put(day, wholeCents(cents));
            }
            out.add(new Group("group_" + team.toLowerCase(Locale.ROOT), team, members, memberSpend, total, daily));
        }
        return out;
    }

    /** End of the billing cycle containing now: one calendar month after its start. */
    Instant cycleEnd() {
        Instant start = usage.org().cycleStart(usage.now());
        return start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
    }

    static BigDecimal wholeCents(BigDecimal cents) {
        return cents.setScale(0, RoundingMode.HALF_UP);
    }

    // ---- analytics ------------------------------------------------------------------------------------------

    /** Every event of the day visible now, with its member. */
    private List<Map.Entry<SimMember, SimEvent>> events(long day) {
        long nowMs = usage.now().toEpochMilli();
        List<Map.Entry<SimMember, SimEvent>> out = new ArrayList<>();
        for (SimMember m : usage.org().members()) {
            for (SimEvent e : usage.visibleEvents(m, day, nowMs)) {
                out.add(Map.entry(m, e));
            }
        }
        return out;
    }

    /** {@code dau} row fields: distinct members with any event, with a headless event, with a Bugbot event. */
    Map<String, Long> dau(long day) {
        Set<Integer> all = new HashSet<>();
        Set<Integer> cloud = new HashSet<>();
        Set<Integer> bugbot = new HashSet<>();
        for (Map.Entry<SimMember, SimEvent> x : events(day)) {
            int who = x.getKey().index();
            all.add(who);
            if (x.getValue().headless()) {
                cloud.add(who);
            }
            if (x.getValue().activity().feature() == Feature.BUGBOT) {
                bugbot.add(who);
            }
        }
        Map<String, Long> row = new LinkedHashMap<>();
        row.put("dau", (long) all.size());
        row.put("cli_dau", 0L);
        row.put("cloud_agent_dau", (long) cloud.size());
        row.put("bugbot_dau", (long) bugbot.size());
        return row;
    }

    /** Model → {messages, users}: events (messages) and distinct members per model. */
    Map<String, long[]> models(long day) {
        Map<String, long[]> out = new TreeMap<>();
        Map<String, Set<Integer>> users = new TreeMap<>();
        for (Map.Entry<SimMember, SimEvent> x : events(day)) {
            String model = x.getValue().model();
            out.computeIfAbsent(model, k -> new long[2])[0]++;
            users.computeIfAbsent(model, k -> new HashSet<>()).add(x.getKey().index());
        }
        users.forEach((model, who) -> out.get(model)[1] = who.size());
        return out;
    }

    /** {@code agent-edits} row: diffs and accepted lines of agent and composer events. */
    Map<String, Long> agentEdits(long day) {
        long suggested = 0;
        long accepted = 0;
        long rejected = 0;
        long green = 0;
        long red = 0;
        for (Map.Entry<SimMember, SimEvent> x : events(day)) {
            SimEvent.EditorActivity a = x.getValue().activity();
            if (a.feature() == Feature.AGENT || a.feature() == Feature.COMPOSER) {
                suggested += a.applies();
                accepted += a.accepts();
                rejected += a.rejects();
                green += a.acceptedLinesAdded();
                red += a.acceptedLinesDeleted();
            }
        }
        Map<String, Long> row = new LinkedHashMap<>();
        row.put("total_suggested_diffs", suggested);
        row.put("total_accepted_diffs", accepted);
        row.put("total_rejected_diffs", rejected);
        row.put("total_green_lines_accepted", green);
        row.put("total_red_lines_accepted", red);
        row.put("total_lines_accepted", green + red);
        return row;
    }

    /** {@code tabs} row: suggestions, accepts, rejects. */
    Map<String, Long> tabs(long day) {
        long shown = 0;
        long accepted = 0;
        for (Map.Entry<SimMember, SimEvent> x : events(day)) {
            shown += x.getValue().activity().tabsShown();
            accepted += x.getValue().activity().tabsAccepted();
        }
        Map<String, Long> row = new LinkedHashMap<>();
        row.put("total_suggestions", shown);
        row.put("total_accepts", accepted);
        row.put("total_rejects", shown - accepted);
        return row;
    }

    /** Client version → active members using it that day (members with an unknown version are not counted). */
    Map<String, Long> clientVersions(long day) {
        Map<String, Long> out = new TreeMap<>();
        Set<Integer> seen = new HashSet<>();
        for (Map.Entry<SimMember, SimEvent> x : events(day)) {
            SimMember m = x.getKey();
            if (m.clientVersion() != null && seen.add(m.index())) {
                out.merge(m.clientVersion(), 1L, Long::sum);
            }
        }
        return out;
    }

    // ---- AI code commits --------------------------------------------------------------------------------------

    /** A generated commit; {@code message} exists so that tests can prove the exporter drops it. */
    record Commit(String hash, SimMember member, long timestamp, String repo, String branch, boolean primary,
                  long totalAdded, long totalDeleted, long tabAdded, long composerAdded, long nonAiAdded,
                  String message) {
    }

    /** How many commits a member makes on a day with activity: 1 to 3, fixed by the seed. */
    long commitsOn(SimMember member, long day) {
        return 1 + new SplittableRandom(seed ^ (member.index() * 0x9E3779B97F4A7C15L) ^ (day * 1_000_003L))
                .nextInt(3);
    }

    /** The member's commits of one day (their lines add up to the day's daily-usage lines), newest first. */
    List<Commit> commits(SimMember member, long day) {
        List<SimEvent> events = usage.visibleEvents(member, day, usage.now().toEpochMilli());
        if (events.isEmpty()) {
            return List.of();
        }
        DailyActivity a = DailyActivity.of(day, events);
        long tab = Math.min(a.acceptedLinesAdded(), a.totalTabsAccepted());
        long composer = a.acceptedLinesAdded() - tab;
        long nonAi = Math.max(0, a.totalLinesAdded() - a.acceptedLinesAdded());
        int n = (int) commitsOn(member, day);
        long last = events.get(events.size() - 1).timestamp();
        String team = member.team().toLowerCase(Locale.ROOT);
        List<Commit> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            SplittableRandom r = new SplittableRandom(seed ^ (member.index() * 31L + day * 7919L + k));
            String hash = String.format("%016x%016x%08x", r.nextLong(), r.nextLong(), r.nextInt());
            long ts = Math.max(UsageModel.dayStartMs(day), last - k * 60_000L);
            long tabK = share(tab, n, k);
            long composerK = share(composer, n, k);
            long nonAiK = share(nonAi, n, k);
            out.add(new Commit(hash, member, ts, "acme/" + team + (k % 2 == 0 ? "-service" : "-web"),
                    k == 0 ? "main" : "feature/" + team + "-" + k, k == 0,
                    tabK + composerK + nonAiK, share(a.totalLinesDeleted(), n, k), tabK, composerK, nonAiK,
                    MESSAGES[r.nextInt(MESSAGES.length)] + " (" + member.key() + ")"));
        }
        return out;
    }

    /** Commits with {@code from <= timestamp <= to} of every member, newest first. */
    List<Commit> commits(long fromMs, long toMs) {
        long nowMs = usage.now().toEpochMilli();
        long first = Math.max(UsageModel.dayOf(fromMs), usage.firstServedDay(nowMs));
        long last = Math.min(UsageModel.dayOf(toMs), UsageModel.dayOf(nowMs));
        List<Commit> out = new ArrayList<>();
        for (long day = first; day <= last; day++) {
            for (SimMember m : usage.org().members()) {
                for (Commit c : commits(m, day)) {
                    if (c.timestamp() >= fromMs && c.timestamp() <= toMs) {
                        out.add(c);
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(Commit::timestamp).reversed().thenComparing(Commit::hash));
        return out;
    }

    // ---- audit log ----------------------------------------------------------------------------------------------

    /** A generated audit event; the IP and {@code event_data} exist so that tests can prove the exporter drops them. */
    record AuditEntry(String id, long timestamp, String type, SimMember actor, String ip) {
    }

    /** Every {@value #SETTINGS_EVERY}th day an admin changes a team setting at noon. */
    static final int SETTINGS_EVERY = 7;

    /** Whether a team setting is changed on {@code day}. */
    static boolean settingsChangedOn(long day) {
        return Math.floorMod(day, SETTINGS_EVERY) == 3;
    }

    /**
     * Audit events with {@code from <= timestamp <= to}, newest first: a {@code login} of each member on each day
     * with activity, a minute before their first event; a {@code team_settings} change by the first member at noon
     * of every {@link #settingsChangedOn} day.
     */
    List<AuditEntry> auditEvents(long fromMs, long toMs) {
        long nowMs = usage.now().toEpochMilli();
        long first = Math.max(UsageModel.dayOf(fromMs), usage.firstServedDay(nowMs));
        long last = Math.min(UsageModel.dayOf(toMs), UsageModel.dayOf(nowMs));
        List<AuditEntry> out = new ArrayList<>();
        SimMember admin = usage.org().members().get(0);
        for (long day = first; day <= last; day++) {
            for (SimMember m : usage.org().members()) {
                List<SimEvent> events = usage.visibleEvents(m, day, nowMs);
                if (!events.isEmpty()) {
                    long ts = Math.max(UsageModel.dayStartMs(day), events.get(0).timestamp() - 60_000L);
                    out.add(new AuditEntry(uuid(m.index(), day, 0), ts, "login", m, "198.51.100." + (m.index() % 250)));
                }
            }
            long noon = UsageModel.dayStartMs(day) + ActivityGenerator.DAY_MS / 2;
            if (settingsChangedOn(day) && noon <= nowMs) {
                out.add(new AuditEntry(uuid(-1, day, 1), noon, "team_settings", admin, "203.0.113.7"));
            }
        }
        out.removeIf(e -> e.timestamp() < fromMs || e.timestamp() > toMs);
        out.sort(Comparator.comparingLong(AuditEntry::timestamp).reversed().thenComparing(AuditEntry::id));
        return out;
    }

    private String uuid(int member, long day, int kind) {
        SplittableRandom r = new SplittableRandom(seed ^ (member * 0x9E3779B97F4A7C15L) ^ (day * 1_000_033L) ^ kind);
        return new java.util.UUID(r.nextLong(), r.nextLong()).toString();
    }

    /** Part {@code k} of {@code n} of {@code total}; the first part takes the remainder. */
    private static long share(long total, int n, int k) {
        return total / n + (k == 0 ? total % n : 0);
    }
}
