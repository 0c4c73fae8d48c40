package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.budget.TeamSpendPlanner;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.budget.BillingCycle;
import dev.cursorexporter.config.UserLabelMode;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricFamily.Type;
import dev.cursorexporter.store.ActivityTotals;
import dev.cursorexporter.store.AiCodeTotals;
import dev.cursorexporter.store.AnalyticsTotal;
import dev.cursorexporter.store.SourceAvailability;
import dev.cursorexporter.store.StoredBillingGroup;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredMember;
import dev.cursorexporter.store.StoredSpend;
import dev.cursorexporter.store.UsageTotals;
import dev.cursorexporter.store.UserCostSums;
import dev.cursorexporter.store.BackfillProgress;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads the store and builds the Cursor part of {@code /metrics} as an immutable {@link MetricsSnapshot}. This is
 * the only place that turns stored data into series, so label rules (user-label mode, directory, the
 * {@code account} label) live here and nowhere else.
 */
public final class SnapshotBuilder {

    private static final String UNKNOWN_USER = "unknown";
    /** Windows of {@code cursor_cost_window_usd}: that many complete UTC days ending yesterday. */
    private static final List<Map.Entry<String, Integer>> COST_WINDOWS =
            List.of(Map.entry("1d", 1), Map.entry("7d", 7), Map.entry("28d", 28));
    /** The baseline averages the covered days among the 28 complete days before the last complete day ... */
    static final int BASELINE_DAYS = 28;
    /** ... and exists only with at least 7 of them covered. */
    static final int BASELINE_MIN_COVERED_DAYS = 7;
    private static final long SECONDS_PER_DAY = 86_400L;

    private final StoreReader store;
    private final List<String> accounts;
    private final Supplier<Directory> directory;
    private final UserLabeler userLabeler;
    private final Clock clock;
    private final Optional<TeamSpendPlanner> planner;
    private final SeriesCap cap;
    private final boolean authState;
    private final BackfillProgress backfill;

    /** Without budgets and forecasts, with the default series cap. */
    public SnapshotBuilder(StoreReader store, List<String> accounts, Supplier<Directory> directory,
                           UserLabeler userLabeler, Clock clock) {
        this(store, accounts, directory, userLabeler, clock, Optional.empty(),
                ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC, false, null);
    }

    /**
     * @param accounts  configured account names; with more than one every series carries {@code account}
     * @param directory read on every build, so a reloaded directory shows on the next snapshot
     * @param planner   budgets, forecasts and cycle ends; empty = none of those series
     * @param maxSeriesPerMetric see {@link SeriesCap}
     * @param authState whether to show {@code cursor_exporter_auth_failing}, read from the store's auth refusals
     * @param backfill  backfill progress per source ({@code cursor_exporter_backfill_*}); null = not shown
     */
    public SnapshotBuilder(StoreReader store, List<String> accounts, Supplier<Directory> directory,
                           UserLabeler userLabeler, Clock clock, Optional<TeamSpendPlanner> planner,
                           int maxSeriesPerMetric, boolean authState, BackfillProgress backfill) {
        this.authState = authState;
        this.backfill = backfill;
        this.store = store;
        this.accounts = List.copyOf(accounts);
        this.directory = directory;
        this.userLabeler = userLabeler;
        this.clock = clock;
        this.planner = planner;
        this.cap = new SeriesCap(maxSeriesPerMetric);
    }

    public MetricsSnapshot build() {
        Labels labels = new Labels(accounts.size() > 1, userLabeler.mode() != UserLabelMode.NONE);
        Families f = new Families(labels);
        Directory dir = directory.get();
        for (String account : accounts) {
            addUsage(f, labels, dir, account);
            addSpend(f, labels, dir, account);
            addMembers(f, labels, dir, account);
            addActivity(f, labels, dir, account);
            addCostWindows(f, labels, dir, account);
            addSources(f, labels, account);
            addEnterprise(f, labels, dir, account);
            addCycleEnd(f, labels, account);
            addSyncHealth(f, labels, account);
        }
        planner.ifPresent(p -> addBudgets(f, labels, p.report(accounts, dir)));
        return new MetricsSnapshot(cap.apply(f.build()), clock.instant());
    }

    private void addBudgets(Families f, Labels labels, TeamSpendPlanner.Report report) {
        report.budgets().forEach((team, usd) -> f.teamBudget.add(List.of(team), usd));
        report.forecasts().forEach((team, usd) -> f.teamForecast.add(List.of(team), usd));
    }

    /** Cursor's own cycle end when billing groups report it, else one month after subscriptionCycleStart. */
    private void addCycleEnd(Families f, Labels labels, String account) {
        Optional<Instant> end = store.enterprise().billingCycleEnd(account).or(() -> store.cycleStart(account)
                .map(start -> BillingCycle.containing(start, clock.instant()).end()));
        end.ifPresent(e -> f.cycleEnd.add(labels.accountValues(account), seconds(e)));
    }

    private void addUsage(Families f, Labels labels, Directory dir, String account) {
        for (UsageTotals t : store.usageTotals(account)) {
            addUsage(f.cost, f.requests, f.tokens, labels, dir, account, t);
        }
        for (UsageTotals t : store.usageWithdrawn(account)) {
            addUsage(f.withdrawnCost, f.withdrawnRequests, f.withdrawnTokens, labels, dir, account, t);
        }
    }

    private void addUsage(FamilyBuilder cost, FamilyBuilder requests, FamilyBuilder tokens, Labels labels,
                          Directory dir, String account, UsageTotals t) {
        List<String> base = labels.userValues(account, userLabel(t.email()), dir.lookup(t.email()));
        cost.add(with(base, t.model()), Money.usd(t.costCents()));
        requests.add(with(base, t.model(), t.billing().label()), t.requests());
        tokens.add(with(base, t.model(), "input"), t.inputTokens());
        tokens.add(with(base, t.model(), "output"), t.outputTokens());
        tokens.add(with(base, t.model(), "cache_read"), t.cacheReadTokens());
        tokens.add(with(base, t.model(), "cache_write"), t.cacheWriteTokens());
    }

    private void addSpend(Families f, Labels labels, Directory dir, String account) {
        for (StoredSpend s : store.currentSpend(account)) {
            List<String> base = labels.userValues(account, userLabel(s.email()), dir.lookup(s.email()));
            f.cycleSpend.add(base, Money.usd(s.cycleSpendCents()));
            f.onDemandSpend.add(base, Money.usd(s.onDemandSpendCents()));
            if (s.limitDollars() != null) {
                f.spendLimit.add(base, s.limitDollars());
            }
        }
        store.cycleStart(account).ifPresent(start -> f.cycleStart.add(labels.accountValues(account),
                BigDecimal.valueOf(start.toEpochMilli()).divide(BigDecimal.valueOf(1000), 3, RoundingMode.UNNECESSARY)));
    }

    private void addMembers(Families f, Labels labels, Directory dir, String account) {
        for (StoredMember m : store.members(account)) {
            if (!m.removed()) {
                f.members.add(with(labels.groupValues(account, dir.lookup(m.email())), m.role()), 1);
            }
        }
    }

    private void addActivity(Families f, Labels labels, Directory dir, String account) {
        for (ActivityTotals a : store.activityTotals(account)) {
            List<String> base = labels.userValues(account, userLabel(a.email()), dir.lookup(a.email()));
            f.lines.add(with(base, "all"), a.linesAdded());
            f.lines.add(with(base, "ai"), a.acceptedLinesAdded());
            f.tabs.add(with(base, "shown"), a.tabsShown());
            f.tabs.add(with(base, "accepted"), a.tabsAccepted());
            f.features.add(with(base, "chat"), a.chatRequests());
            f.features.add(with(base, "composer"), a.composerRequests());
            f.features.add(with(base, "agent"), a.agentRequests());
            f.features.add(with(base, "cmdk"), a.cmdkUsages());
            f.features.add(with(base, "bugbot"), a.bugbotUsages());
        }
        Optional<LocalDate> newest = store.newestDailyUsageDay(account);
        if (newest.isEmpty()) {
            return;
        }
        // Every team/location with a current member gets a series per window, 0 included, so panels show
        // "nobody active" rather than a gap.
        Set<Assignment> groups = new TreeSet<>((a, b) -> (a.team() + '\0' + a.location())
                .compareTo(b.team() + '\0' + b.location()));
        for (StoredMember m : store.members(account)) {
            if (!m.removed()) {
                groups.add(dir.lookup(m.email()));
            }
        }
        // A day after today can only be a bad row stored before the boundary checks; it must not move the windows.
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate end = newest.get().isAfter(today) ? today : newest.get();
        for (Map.Entry<String, Integer> window : Map.of("1d", 1, "7d", 7, "28d", 28).entrySet()) {
            LocalDate from = end.minusDays(window.getValue() - 1L);
            for (Assignment g : groups) {
                f.activeUsers.add(with(labels.groupValues(account, g), window.getKey()), 0);
            }
            for (String email : store.activeUsers(account, from, end)) {
                Assignment g = dir.lookup(email);
                f.activeUsers.add(with(labels.groupValues(account, g), window.getKey()), 1);
            }
        }
    }

    /**
     * {@code cursor_cost_window_usd}, {@code cursor_cost_window_covered_seconds} and
     * {@code cursor_user_baseline_daily_cost_usd}: usage-event cost by event day over fixed windows of complete UTC
     * days, from the store, so they are exact from the first scrape and a backfill, a restatement or a Prometheus
     * restart moves nothing but the days themselves. Only days the store holds count (covered, or read by the last
     * poll's look-back); one store read of O(e-mails) rows.
     */
    private void addCostWindows(Families f, Labels labels, Directory dir, String account) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        List<UserCostSums.Range> ranges = new ArrayList<>();
        for (Map.Entry<String, Integer> w : COST_WINDOWS) {
            ranges.add(new UserCostSums.Range(today.minusDays(w.getValue()), yesterday));
        }
        // The days before the last complete day: today-29 .. today-2.
        UserCostSums.Range baseline = new UserCostSums.Range(yesterday.minusDays(BASELINE_DAYS), yesterday.minusDays(1));
        ranges.add(baseline);
        Set<LocalDate> held = heldUsageDays(account, baseline.from(), yesterday);
        int[] covered = new int[ranges.size()];
        for (LocalDate day : held) {
            for (int i = 0; i < ranges.size(); i++) {
                covered[i] += ranges.get(i).contains(day) ? 1 : 0;
            }
        }
        List<String> acc = labels.accountValues(account);
        for (int i = 0; i < COST_WINDOWS.size(); i++) {
            f.costWindowCovered.add(with(acc, COST_WINDOWS.get(i).getKey()), covered[i] * SECONDS_PER_DAY);
        }
        int baselineDays = covered[COST_WINDOWS.size()];

        // Every current member has a series (0 when they spent nothing), plus whoever has cost in the days.
        Map<String, List<BigDecimal>> costs = new TreeMap<>();
        List<BigDecimal> zeros = java.util.Collections.nCopies(ranges.size(), BigDecimal.ZERO);
        for (StoredMember m : store.members(account)) {
            if (!m.removed()) {
                costs.put(m.email(), zeros);
            }
        }
        for (UserCostSums u : store.userCostSums(account, ranges, held)) {
            costs.put(u.email(), u.costsCents());
        }
        costs.forEach((email, cents) -> {
            List<String> base = labels.userValues(account, userLabel(email), dir.lookup(email));
            for (int i = 0; i < COST_WINDOWS.size(); i++) {
                if (covered[i] > 0) {
                    f.costWindow.add(with(base, COST_WINDOWS.get(i).getKey()), Money.usd(cents.get(i)));
                }
            }
            if (baselineDays >= BASELINE_MIN_COVERED_DAYS) {
                f.baseline.add(base, Money.usdPerDay(cents.get(COST_WINDOWS.size()), baselineDays));
            }
        });
    }

    /**
     * Days in {@code from}..{@code to} whose usage events the store holds: the days stored for good (coverage), plus
     * the days after the newest of them up to the UTC day of the last successful usage-events poll, which that
     * poll's look-back read (look-back days are never marked covered, Cursor may still restate them).
     */
    private Set<LocalDate> heldUsageDays(String account, LocalDate from, LocalDate to) {
        TreeSet<LocalDate> all = new TreeSet<>(store.coveredDays(account, Source.USAGE_EVENTS));
        SourceState state = store.sourceStates(account).getOrDefault(Source.USAGE_EVENTS, SourceState.NEVER);
        if (state.lastSuccess() != null) {
            LocalDate polled = LocalDate.ofInstant(state.lastSuccess(), ZoneOffset.UTC);
            for (LocalDate d = all.isEmpty() ? polled : all.last().plusDays(1); !d.isAfter(polled); d = d.plusDays(1)) {
                all.add(d);
            }
        }
        return new TreeSet<>(all.subSet(from, true, to, true));
    }

    private void addSources(Families f, Labels labels, String account) {
        Map<Source, SourceState> states = store.sourceStates(account);
        for (Source source : Source.values()) {
            SourceState s = states.getOrDefault(source, SourceState.NEVER);
            List<String> values = with(labels.accountValues(account), source.label());
            boolean up = s.lastSuccess() != null && s.lastError() == null;
            f.sourceUp.add(values, up ? 1 : 0);
            if (s.lastSuccess() != null) {
                f.lastSuccess.add(values, BigDecimal.valueOf(s.lastSuccess().toEpochMilli())
                        .divide(BigDecimal.valueOf(1000), 3, RoundingMode.UNNECESSARY));
            }
        }
    }

    /** Billing groups, Analytics and AI Code Tracking; nothing for sources the team does not have. */
    private void addEnterprise(Families f, Labels labels, Directory dir, String account) {
        List<String> acc = labels.accountValues(account);
        for (Map.Entry<Source, SourceAvailability> a : store.enterprise().availability(account).entrySet()) {
            f.sourceAvailable.add(with(acc, a.getKey().label()), a.getValue().available() ? 1 : 0);
        }
        for (StoredBillingGroup g : store.enterprise().billingGroups(account)) {
            f.groupSpend.add(with(acc, g.name()), Money.usd(g.spendCents()));
        }
        store.enterprise().newestAnalyticsDay(account, AnalyticsMetric.DAU).ifPresent(day -> {
            for (AnalyticsPoint p : store.enterprise().analyticsDay(account, AnalyticsMetric.DAU, day)) {
                if (p.field().equals("dau")) {
                    f.analyticsDau.add(acc, p.value());
                }
            }
        });
        store.enterprise().newestAnalyticsDay(account, AnalyticsMetric.CLIENT_VERSIONS).ifPresent(day -> {
            for (AnalyticsPoint p : store.enterprise().analyticsDay(account, AnalyticsMetric.CLIENT_VERSIONS, day)) {
                f.clientVersionUsers.add(with(acc, p.dimension()), p.value());
            }
        });
        for (AnalyticsTotal t : store.enterprise().analyticsTotals(account, AnalyticsMetric.MODELS)) {
            if (t.field().equals("messages")) {
                f.modelMessages.add(with(acc, t.dimension()), t.value());
            }
        }
        for (AnalyticsTotal t : store.enterprise().analyticsTotals(account, AnalyticsMetric.AGENT_EDITS)) {
            String outcome = switch (t.field()) {
                case "total_suggested_diffs" -> "suggested";
                case "total_accepted_diffs" -> "accepted";
                case "total_rejected_diffs" -> "rejected";
                default -> null;
            };
            if (outcome != null) {
                f.agentEdits.add(with(acc, outcome), t.value());
            }
        }
        for (AiCodeTotals t : store.enterprise().aiCodeTotals(account)) {
            List<String> base = labels.userValues(account, userLabel(t.email()), dir.lookup(t.email()));
            f.aiCodeLines.add(with(base, "tab"), t.tabLinesAdded());
            f.aiCodeLines.add(with(base, "composer"), t.composerLinesAdded());
            f.aiCodeLines.add(with(base, "non_ai"), t.nonAiLinesAdded());
            f.aiCodeCommits.add(base, t.commits());
        }
    }

    private static BigDecimal seconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).divide(BigDecimal.valueOf(1000), 3, RoundingMode.UNNECESSARY);
    }

    private void addSyncHealth(Families f, Labels labels, String account) {
        if (authState) {
            f.authFailing.add(labels.accountValues(account), store.authRefusals(account).isEmpty() ? 0 : 1);
        }
        if (backfill != null) {
            backfill.of(account).forEach((source, p) -> {
                List<String> values = with(labels.accountValues(account), source.label());
                // Base unit seconds (promtool rejects "days" in a name): days covered × 86,400.
                f.backfillCovered.add(values, p.daysCovered() * 86_400L);
                f.backfillRatio.add(values, BigDecimal.valueOf(p.daysCovered())
                        .divide(BigDecimal.valueOf(Math.max(1, p.daysTotal())), 4, RoundingMode.DOWN));
            });
        }
    }

    private Optional<String> userLabel(String email) {
        return userLabeler.label(email == null || email.isEmpty() ? UNKNOWN_USER : email);
    }

    private static List<String> with(List<String> base, String... extra) {
        List<String> out = new ArrayList<>(base.size() + extra.length);
        out.addAll(base);
        out.addAll(Arrays.asList(extra));
        return out;
    }

    /** Which of the optional labels ({@code account}, {@code user}) every series carries. */
    private record Labels(boolean withAccount, boolean withUser) {

        List<String> accountNames(String... rest) {
            List<String> names = new ArrayList<>();
            if (withAccount) {
                names.add("account");
            }
            names.addAll(Arrays.asList(rest));
            return names;
        }

        List<String> userNames(String... rest) {
            List<String> names = new ArrayList<>();
            if (withAccount) {
                names.add("account");
            }
            if (withUser) {
                names.add("user");
            }
            names.add("team");
            names.add("location");
            names.addAll(Arrays.asList(rest));
            return names;
        }

        List<String> groupNames(String... rest) {
            return accountNames(with(List.of("team", "location"), rest).toArray(String[]::new));
        }

        List<String> accountValues(String account) {
            return withAccount ? List.of(account) : List.of();
        }

        List<String> userValues(String account, Optional<String> user, Assignment a) {
            List<String> values = new ArrayList<>(accountValues(account));
            if (withUser) {
                values.add(user.orElseThrow());
            }
            values.add(a.team());
            values.add(a.location());
            return values;
        }

        List<String> groupValues(String account, Assignment a) {
            List<String> values = new ArrayList<>(accountValues(account));
            values.add(a.team());
            values.add(a.location());
            return values;
        }
    }

    /** The catalogue of DESIGN.md: names, types, labels and HELP texts in one place. */
    private static final class Families {
        final FamilyBuilder cost;
        final FamilyBuilder requests;
        final FamilyBuilder tokens;
        final FamilyBuilder withdrawnCost;
        final FamilyBuilder withdrawnRequests;
        final FamilyBuilder withdrawnTokens;
        final FamilyBuilder cycleSpend;
        final FamilyBuilder onDemandSpend;
        final FamilyBuilder spendLimit;
        final FamilyBuilder cycleStart;
        final FamilyBuilder members;
        final FamilyBuilder activeUsers;
        final FamilyBuilder lines;
        final FamilyBuilder tabs;
        final FamilyBuilder features;
        final FamilyBuilder costWindow;
        final FamilyBuilder costWindowCovered;
        final FamilyBuilder baseline;
        final FamilyBuilder sourceUp;
        final FamilyBuilder lastSuccess;
        final FamilyBuilder sourceAvailable;
        final FamilyBuilder groupSpend;
        final FamilyBuilder cycleEnd;
        final FamilyBuilder analyticsDau;
        final FamilyBuilder clientVersionUsers;
        final FamilyBuilder modelMessages;
        final FamilyBuilder agentEdits;
        final FamilyBuilder aiCodeLines;
        final FamilyBuilder aiCodeCommits;
        final FamilyBuilder teamBudget;
        final FamilyBuilder teamForecast;
        final FamilyBuilder authFailing;
        final FamilyBuilder backfillCovered;
        final FamilyBuilder backfillRatio;
        private final List<FamilyBuilder> all = new ArrayList<>();

        Families(Labels l) {
            String usageFresh = " Summed over the event days stored from the counter epoch (the first backfill's first"
                    + " day) on; refreshed after each usage_events poll (hourly by default).";
            String dailyFresh = " Summed over the daily-usage days stored from the counter epoch (the first backfill's"
                    + " first day) on; refreshed after each daily_usage poll (hourly by default).";
            String spendFresh = " Current billing cycle, from /teams/spend; refreshed after each spend poll (every 15m by default).";
            cost = add(new FamilyBuilder("cursor_usage_cost_usd", Type.COUNTER,
                    "Cost in USD of Cursor usage events: chargedCents, else tokenUsage.totalCents + cursorTokenFee; "
                            + "0 for Not Charged kinds." + usageFresh, l.userNames("model")));
            requests = add(new FamilyBuilder("cursor_usage_requests", Type.COUNTER,
                    "Number of Cursor usage events by billing class (included, usage_based, byok, not_charged, other)."
                            + usageFresh, l.userNames("model", "billing")));
            tokens = add(new FamilyBuilder("cursor_usage_tokens", Type.COUNTER,
                    "Tokens used by Cursor usage events by token_type (input, output, cache_read, cache_write)."
                            + usageFresh, l.userNames("model", "token_type")));
            String withdrawn = " Counted in the matching cursor_usage_* counter too, which never goes down: the counter"
                    + " minus this is what Cursor reports now." + usageFresh;
            withdrawnCost = add(new FamilyBuilder("cursor_usage_withdrawn_cost_usd", Type.COUNTER,
                    "Cost in USD that Cursor took back by restating usage events (re-classified as Not Charged, cost"
                            + " restated lower)." + withdrawn, l.userNames("model")));
            withdrawnRequests = add(new FamilyBuilder("cursor_usage_withdrawn_requests", Type.COUNTER,
                    "Usage events by billing class that Cursor's restatements removed or moved to another billing"
                            + " class." + withdrawn, l.userNames("model", "billing")));
            withdrawnTokens = add(new FamilyBuilder("cursor_usage_withdrawn_tokens", Type.COUNTER,
                    "Tokens by token_type that Cursor's restatements took back from usage events." + withdrawn,
                    l.userNames("model", "token_type")));
            cycleSpend = add(new FamilyBuilder("cursor_cycle_spend_usd", Type.GAUGE,
                    "Spend in USD this billing cycle: overallSpendCents if present, else spendCents." + spendFresh,
                    l.userNames()));
            onDemandSpend = add(new FamilyBuilder("cursor_cycle_on_demand_spend_usd", Type.GAUGE,
                    "On-demand (usage-based) spend in USD this billing cycle." + spendFresh, l.userNames()));
            spendLimit = add(new FamilyBuilder("cursor_user_spend_limit_usd", Type.GAUGE,
                    "Effective per-user spend limit in USD, only for members who have one." + spendFresh,
                    l.userNames()));
            cycleStart = add(new FamilyBuilder("cursor_cycle_start_timestamp_seconds", Type.GAUGE,
                    "Start of the current billing cycle (subscriptionCycleStart) as a Unix timestamp." + spendFresh,
                    l.accountNames()));
            members = add(new FamilyBuilder("cursor_members", Type.GAUGE,
                    "Current (not removed) Cursor team members; refreshed after each members poll (hourly by default).",
                    l.groupNames("role")));
            activeUsers = add(new FamilyBuilder("cursor_active_users", Type.GAUGE,
                    "Distinct members active (isActive) in the window (1d, 7d, 28d) ending on the newest day of "
                            + "daily-usage data; refreshed after each daily_usage poll.", l.groupNames("window")));
            lines = add(new FamilyBuilder("cursor_lines_added", Type.COUNTER,
                    "Lines added in the editor: source=all (totalLinesAdded), source=ai (acceptedLinesAdded)."
                            + dailyFresh, l.userNames("source")));
            tabs = add(new FamilyBuilder("cursor_tab_completions", Type.COUNTER,
                    "Tab completions by outcome (shown, accepted)." + dailyFresh, l.userNames("outcome")));
            features = add(new FamilyBuilder("cursor_feature_requests", Type.COUNTER,
                    "Requests by feature (chat, composer, agent, cmdk, bugbot)." + dailyFresh, l.userNames("feature")));
            String windowFresh = " Exporter-computed from the store by event day, exact from the first scrape;"
                    + " refreshed after each poll (usage_events hourly by default).";
            costWindow = add(new FamilyBuilder("cursor_cost_window_usd", Type.GAUGE,
                    "Cost in USD of Cursor usage events over the window's complete UTC days ending yesterday"
                            + " (window=1d: yesterday; 7d; 28d), held days only (cursor_cost_window_covered_seconds);"
                            + " absent while the window holds none." + windowFresh, l.userNames("window")));
            costWindowCovered = add(new FamilyBuilder("cursor_cost_window_covered_seconds", Type.GAUGE,
                    "Days of the window (1d, 7d, 28d complete UTC days ending yesterday) whose usage events the store"
                            + " holds, in seconds (days x 86400; the window is complete at 86400 x its days)."
                            + windowFresh, l.accountNames("window")));
            baseline = add(new FamilyBuilder("cursor_user_baseline_daily_cost_usd", Type.GAUGE,
                    "Mean daily cost in USD of Cursor usage events over the held days among the 28 complete UTC days"
                            + " before the last complete day (today-29 .. today-2); 0 for members without cost, only"
                            + " when at least 7 of those days are held." + windowFresh, l.userNames()));
            sourceUp = add(new FamilyBuilder("cursor_exporter_source_up", Type.GAUGE,
                    "1 when the last poll of this Cursor source succeeded, else 0.", l.accountNames("source")));
            lastSuccess = add(new FamilyBuilder("cursor_exporter_source_last_success_timestamp_seconds", Type.GAUGE,
                    "Unix time of the last successful poll of this Cursor source.", l.accountNames("source")));
            String analyticsFresh = " From the Analytics API (Enterprise); refreshed after each analytics poll (hourly by default).";
            String aiCodeFresh = " Summed over all stored commits of AI Code Tracking (Enterprise); refreshed after each"
                    + " ai_code poll (hourly by default).";
            String groupsFresh = " From /teams/groups (Enterprise); refreshed after each billing_groups poll (hourly by default).";
            sourceAvailable = add(new FamilyBuilder("cursor_exporter_source_available", Type.GAUGE,
                    "1 when this plan-gated Cursor source answered its last probe, 0 after a 401/403 (not on the"
                            + " team's plan; probed again at start, on a forced sync and daily). Only for sources probed so far.",
                    l.accountNames("source")));
            groupSpend = add(new FamilyBuilder("cursor_billing_group_spend_usd", Type.GAUGE,
                    "Spend in USD this billing cycle per billing group (team = group name, Unassigned included)."
                            + groupsFresh, l.accountNames("team")));
            cycleEnd = add(new FamilyBuilder("cursor_cycle_end_timestamp_seconds", Type.GAUGE,
                    "End of the current billing cycle as a Unix timestamp: billingCycle.cycleEnd of the billing groups"
                            + " (Enterprise) when known, else subscriptionCycleStart + 1 month; refreshed after each"
                            + " spend or billing_groups poll.", l.accountNames()));
            analyticsDau = add(new FamilyBuilder("cursor_analytics_dau", Type.GAUGE,
                    "Daily active users (used at least one AI feature) on the newest day the Analytics API reports;"
                            + " that day is usually today and still partial." + analyticsFresh, l.accountNames()));
            clientVersionUsers = add(new FamilyBuilder("cursor_client_version_users", Type.GAUGE,
                    "Members per Cursor client version on the newest day of Analytics data." + analyticsFresh,
                    l.accountNames("version")));
            modelMessages = add(new FamilyBuilder("cursor_model_messages", Type.COUNTER,
                    "Messages per model (Analytics models; model names as the Analytics API spells them), summed"
                            + " over all stored days." + analyticsFresh, l.accountNames("model")));
            agentEdits = add(new FamilyBuilder("cursor_agent_edits", Type.COUNTER,
                    "Agent and composer diffs by outcome (suggested, accepted, rejected), summed over all stored days."
                            + analyticsFresh, l.accountNames("outcome")));
            aiCodeLines = add(new FamilyBuilder("cursor_ai_code_lines_added", Type.COUNTER,
                    "Lines added in commits by origin: source=tab, composer (agent), non_ai. AI share of committed"
                            + " lines = (tab + composer) / all." + aiCodeFresh, l.userNames("source")));
            aiCodeCommits = add(new FamilyBuilder("cursor_ai_code_commits", Type.COUNTER,
                    "Commits seen by AI Code Tracking." + aiCodeFresh, l.userNames()));
            // Budgets are per team across accounts, so these carry team only.
            teamBudget = add(new FamilyBuilder("cursor_team_budget_usd", Type.GAUGE,
                    "Configured budget of the team in USD per billing cycle (budgets.teams, else budgets.default for "
                            + "teams with members).", List.of("team")));
            teamForecast = add(new FamilyBuilder("cursor_team_cycle_spend_forecast_usd", Type.GAUGE,
                    "Projected team spend in USD at the end of the billing cycle: spend so far plus the weekday and "
                            + "weekend daily rates of the last 14 days over the time left; refreshed after each poll.",
                    List.of("team")));
            authFailing = add(new FamilyBuilder("cursor_exporter_auth_failing", Type.GAUGE,
                    "1 while Cursor refuses the API key (401/403 on members, spend, daily usage or usage events; "
                            + "see the log for what to check), else 0; updated after every poll.", l.accountNames()));
            backfillCovered = add(new FamilyBuilder("cursor_exporter_backfill_covered_seconds", Type.GAUGE,
                    "Length of the backfill range (the backfill_days complete UTC days before today, plus today) stored for this source, in seconds "
                            + "(days × 86400), look-back days included once read; updated after every poll.",
                    l.accountNames("source")));
            backfillRatio = add(new FamilyBuilder("cursor_exporter_backfill_progress_ratio", Type.GAUGE,
                    "Share (0-1) of the backfill range stored for this source; 1 when the backfill is complete.",
                    l.accountNames("source")));
        }

        private FamilyBuilder add(FamilyBuilder b) {
            all.add(b);
            return b;
        }

        List<MetricFamily> build() {
            List<MetricFamily> out = new ArrayList<>(all.stream().map(FamilyBuilder::build).toList());
            FamilyBuilder dropped = new FamilyBuilder("cursor_exporter_dropped_series", Type.GAUGE,
                    "Series left out of the last snapshot because their stored value cannot be exposed (negative "
                            + "counter, not a finite number); only a store written before the boundary checks "
                            + "holds such values.", List.of("metric"));
            all.forEach(b -> {
                if (b.dropped() > 0) {
                    dropped.add(List.of(b.name()), b.dropped());
                }
            });
            out.add(dropped.build());
            return out;
        }
    }
}
