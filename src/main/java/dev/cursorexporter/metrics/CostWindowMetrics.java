package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredMember;
import dev.cursorexporter.store.UserCostSums;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.cursorexporter.metrics.SnapshotDraft.with;

/**
 * Spend by event time: usage-event cost per member over fixed windows of complete UTC days, how much of each window
 * the store holds, and each member's daily baseline, from the store by event day. They are exact from the first
 * scrape, and a backfill, a restatement or a Prometheus restart moves nothing but the days themselves, which is what
 * the spend-spike alert needs. Only days the store holds count (covered, or read by the last poll's look-back); one
 * store read of O(e-mails) rows.
 */
final class CostWindowMetrics implements MetricGroup {
    static final String COST_WINDOW = "cursor_cost_window_usd";
    static final String COST_WINDOW_COVERED = "cursor_cost_window_covered_seconds";
    static final String BASELINE = "cursor_user_baseline_daily_cost_usd";
    private static final List<String> NAMES = List.of(COST_WINDOW, COST_WINDOW_COVERED, BASELINE);

    private static final String COST_WINDOW_HELP = "Cost in USD of Cursor usage events over the window's complete "
            + "UTC days ending yesterday (window=1d: yesterday; 7d; 28d), held days only "
            + "(cursor_cost_window_covered_seconds); absent while the window holds none.";
    private static final String COST_WINDOW_COVERED_HELP = "Days of the window (1d, 7d, 28d complete UTC days "
            + "ending yesterday) whose usage events the store holds, in seconds (days x 86400; the window is complete "
            + "at 86400 x its days).";
    private static final String BASELINE_HELP = "Mean daily cost in USD of Cursor usage events over the held days "
            + "among the 28 complete UTC days before the last complete day (today-29 .. today-2); 0 for members "
            + "without cost, only when at least 7 of those days are held.";

    /** The baseline averages the held days among the 28 complete days before the last complete day ... */
    static final int BASELINE_DAYS = 28;
    /** ... and exists only with at least 7 of them held. */
    static final int BASELINE_MIN_HELD_DAYS = 7;
    private static final List<Window> WINDOWS = List.of(Window.values());

    private final StoreReader store;
    private final Clock clock;
    private final String fresh;

    CostWindowMetrics(StoreReader store, Clock clock, Freshness freshness) {
        this.store = store;
        this.clock = clock;
        this.fresh = " Exporter-computed from the store by event day, exact from the first scrape; refreshed after "
                + "each poll (usage_events " + freshness.every(Source.USAGE_EVENTS) + ").";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder costWindow = draft.gauge(COST_WINDOW, COST_WINDOW_HELP + fresh, draft.userLabels("window"));
        FamilyBuilder covered = draft.gauge(COST_WINDOW_COVERED, COST_WINDOW_COVERED_HELP + fresh,
                draft.accountLabels("window"));
        FamilyBuilder baseline = draft.gauge(BASELINE, BASELINE_HELP + fresh, draft.userLabels());
        for (String account : draft.accounts()) {
            add(draft, account, costWindow, covered, baseline);
        }
    }

    private void add(SnapshotDraft draft, String account, FamilyBuilder costWindow, FamilyBuilder coveredSeconds,
                     FamilyBuilder baseline) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        // One range per window, then the baseline's: the days before the last complete day, today-29 .. today-2.
        List<UserCostSums.Range> ranges = new ArrayList<>();
        for (Window w : WINDOWS) {
            ranges.add(new UserCostSums.Range(today.minusDays(w.days()), yesterday));
        }
        UserCostSums.Range baselineRange =
                new UserCostSums.Range(yesterday.minusDays(BASELINE_DAYS), yesterday.minusDays(1));
        ranges.add(baselineRange);
        Set<LocalDate> held = heldUsageDays(account, baselineRange.from(), yesterday);
        int[] covered = new int[ranges.size()];
        for (LocalDate day : held) {
            for (int i = 0; i < ranges.size(); i++) {
                covered[i] += ranges.get(i).contains(day) ? 1 : 0;
            }
        }
        List<String> acc = draft.accountValues(account);
        for (int i = 0; i < WINDOWS.size(); i++) {
            coveredSeconds.add(with(acc, WINDOWS.get(i).label()), TimeUnit.DAYS.toSeconds(covered[i]));
        }
        int baselineDays = covered[WINDOWS.size()];

        // Every current member has a series (0 when they spent nothing), plus whoever has cost in the days.
        Map<String, List<BigDecimal>> costs = new TreeMap<>();
        List<BigDecimal> zeros = Collections.nCopies(ranges.size(), BigDecimal.ZERO);
        for (StoredMember m : store.members(account)) {
            if (!m.removed()) {
                costs.put(m.email(), zeros);
            }
        }
        for (UserCostSums u : store.userCostSums(account, ranges, held)) {
            costs.put(u.email(), u.costsCents());
        }
        costs.forEach((email, cents) -> {
            List<String> user = draft.userValues(account, email);
            for (int i = 0; i < WINDOWS.size(); i++) {
                if (covered[i] > 0) {
                    costWindow.add(with(user, WINDOWS.get(i).label()), Money.usd(cents.get(i)));
                }
            }
            if (baselineDays >= BASELINE_MIN_HELD_DAYS) {
                baseline.add(user, Money.usdPerDay(cents.get(WINDOWS.size()), baselineDays));
            }
        });
    }

    /** Days in {@code from}..{@code to} whose usage events the store holds ({@link StoreReader#heldDays}). */
    private Set<LocalDate> heldUsageDays(String account, LocalDate from, LocalDate to) {
        return new TreeSet<>(store.heldDays(account, Source.USAGE_EVENTS).subSet(from, to.plusDays(1)));
    }
}
