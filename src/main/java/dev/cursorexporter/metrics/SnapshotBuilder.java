package dev.cursorexporter.metrics;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.budget.TeamSpendPlanner;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.BackfillProgress;
import dev.cursorexporter.store.StoreReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds the Cursor part of {@code /metrics} as an immutable {@link MetricsSnapshot}, after every sync job and never
 * on a scrape: the {@link LabelRanking} decides which users and models keep their labels, then each
 * {@link MetricGroup} adds its families from the store, each family bounded by the {@link SeriesLimits} as it is
 * filled. The groups are registered here, in one list; what a metric means and how it is computed is in its group.
 */
public final class SnapshotBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBuilder.class);

    private final List<MetricGroup> groups;
    private final List<String> names;
    private final List<String> accounts;
    private final Supplier<Directory> directory;
    private final UserLabeler userLabeler;
    private final Clock clock;
    private final SeriesLimits limits;
    /** Reads the ranking; null = every user and model keeps its label (tests of one group). */
    private final StoreReader rankingStore;
    /** Families capped in the last build, so the warning is logged when a family becomes capped, not every build. */
    private final Set<String> capped = ConcurrentHashMap.newKeySet();

    /**
     * @param accounts  configured account names; with more than one every series carries {@code account}
     * @param directory read on every build, so a reloaded directory shows on the next snapshot
     * @param planner   budgets and forecasts; empty = none of those series (the cycle end is shown regardless)
     * @param reconciliation the OTel estimate against the settled cost; empty = none of those series
     * @param limits    what bounds the snapshot's size
     * @param authState whether to show {@code cursor_exporter_auth_failing}, read from the store's auth refusals
     * @param backfill  backfill progress per source ({@code cursor_exporter_backfill_*}); null = not shown
     * @param pollIntervals the configured interval per source, which HELP texts name as the figures' freshness;
     *                      a source not listed is at its default
     */
    public SnapshotBuilder(StoreReader store, List<String> accounts, Supplier<Directory> directory,
                           UserLabeler userLabeler, Clock clock, Optional<TeamSpendPlanner> planner,
                           Optional<CostReconciliation> reconciliation, SeriesLimits limits, boolean authState,
                           BackfillProgress backfill, Map<Source, Duration> pollIntervals) {
        this(groups(store, clock, planner, reconciliation, authState, backfill, new Freshness(pollIntervals)),
                accounts, directory, userLabeler, clock, limits, store);
    }

    /** Any groups, for tests of one group; {@code rankingStore} null keeps every user and model. */
    SnapshotBuilder(List<MetricGroup> groups, List<String> accounts, Supplier<Directory> directory,
                    UserLabeler userLabeler, Clock clock, SeriesLimits limits, StoreReader rankingStore) {
        this.groups = List.copyOf(groups);
        this.names = namesOf(this.groups);
        this.accounts = List.copyOf(accounts);
        this.directory = directory;
        this.userLabeler = userLabeler;
        this.clock = clock;
        this.limits = limits;
        this.rankingStore = rankingStore;
    }

    /** The groups of {@code /metrics}, in the order they are built: the one place a group is registered. */
    private static List<MetricGroup> groups(StoreReader store, Clock clock, Optional<TeamSpendPlanner> planner,
                                            Optional<CostReconciliation> reconciliation, boolean authState,
                                            BackfillProgress backfill, Freshness freshness) {
        return List.of(
                new UsageMetrics(store, freshness),
                new SpendMetrics(store, freshness),
                new ActivityMetrics(store, clock, freshness),
                new CostWindowMetrics(store, clock, freshness),
                new EnterpriseMetrics(store, freshness),
                new BudgetMetrics(store, clock, planner, freshness),
                new OtelMetrics(store),
                new OtelReconciliationMetrics(reconciliation, freshness),
                new ExporterHealthMetrics(store, authState, backfill));
    }

    /**
     * Every metric name a snapshot of this builder holds (counters without {@code _total}): the groups' names, then
     * {@value SnapshotDraft#DROPPED_SERIES}, {@value SnapshotDraft#CAPPED_SERIES} and
     * {@value SnapshotDraft#FOLDED_VALUES}.
     */
    public List<String> names() {
        return names;
    }

    private static List<String> namesOf(List<MetricGroup> groups) {
        List<String> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.names()));
        all.add(SnapshotDraft.DROPPED_SERIES);
        all.add(SnapshotDraft.CAPPED_SERIES);
        all.add(SnapshotDraft.FOLDED_VALUES);
        Set<String> seen = new HashSet<>();
        for (String name : all) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("metric " + name + " is declared by two groups");
            }
        }
        return List.copyOf(all);
    }

    public MetricsSnapshot build() {
        LabelRanking ranking = rankingStore == null ? LabelRanking.KEEP_ALL
                : LabelRanking.of(rankingStore, accounts, userLabeler, limits);
        SnapshotDraft draft = new SnapshotDraft(accounts, directory.get(), userLabeler, ranking, limits.perMetric());
        for (MetricGroup group : groups) {
            int from = draft.size();
            group.addTo(draft);
            // names() is the group's declaration; a family it adds without declaring it (or the reverse) is a bug
            List<String> added = draft.namesFrom(from);
            if (!added.equals(group.names())) {
                throw new IllegalStateException(group.getClass().getSimpleName() + " declares " + group.names()
                        + " but added " + added);
            }
        }
        List<MetricFamily> families = draft.build();
        List<String> cappedNow = draft.cappedNames();
        for (String name : cappedNow) {
            if (capped.add(name)) {
                LOG.warn("metrics: {} reached metrics.max_series_per_metric {} while being built; its further series "
                        + "are summed into user/model \"other\" (see cursor_exporter_series_capped)", name,
                        limits.perMetric());
            }
        }
        capped.retainAll(cappedNow);
        return new MetricsSnapshot(families, clock.instant());
    }
}
