package dev.cursorexporter.store;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the read side (metrics, datasource, budgets, status) may know: everything the exporter learned from
 * Cursor, per account, and the state of each source as the sync last left it, all from the store, so a restart
 * shows the same. E-mails read back lower-cased, a missing one as "". Thread-safe.
 */
public interface StoreReader {
    /** Human-readable kind for status output, e.g. {@code sqlite}. */
    String kind();

    /** Bytes on disk, or -1 when unknown. */
    long sizeBytes();

    /** Every account name with any stored data. */
    List<String> accounts();

    /** The counter epoch of {@code account}; empty before its first backfill started (counters then count all). */
    Optional<LocalDate> counterEpoch(String account);

    Map<Source, SourceState> sourceStates(String account);

    /** Core sources whose last poll was refused (401/403) and that have not succeeded since. */
    Map<Source, AuthRefusal> authRefusals(String account);

    /** Days of {@code source} already stored completely (not to be fetched again, look-back aside). */
    Set<LocalDate> coveredDays(String account, Source source);

    /**
     * Days of {@code source} whose data the store holds for {@code account}: the days stored for good
     * ({@link #coveredDays}), plus the days after the newest of them up to the UTC day of the source's last successful
     * poll, which that poll's look-back read (look-back days are never marked covered: Cursor may still restate
     * them). Sorted.
     */
    default SortedSet<LocalDate> heldDays(String account, Source source) {
        TreeSet<LocalDate> days = new TreeSet<>(coveredDays(account, source));
        SourceState state = sourceStates(account).getOrDefault(source, SourceState.NEVER);
        if (state.lastSuccess() != null) {
            LocalDate polled = LocalDate.ofInstant(state.lastSuccess(), ZoneOffset.UTC);
            for (LocalDate d = days.isEmpty() ? polled : days.last().plusDays(1); !d.isAfter(polled);
                 d = d.plusDays(1)) {
                days.add(d);
            }
        }
        return Collections.unmodifiableSortedSet(days);
    }

    /** Every member ever seen, removed ones included (flagged). */
    List<StoredMember> members(String account);

    /** Current-cycle spend rows; empty when spend was never fetched. */
    List<StoredSpend> currentSpend(String account);

    /** {@code subscriptionCycleStart} of the latest spend fetch. */
    Optional<Instant> cycleStart(String account);

    /**
     * What the usage counters count: totals over the stored events of days on or after the counter epoch
     * ({@link #counterEpoch}; all days when none) plus what restatements withdrew from those days
     * ({@link #usageWithdrawn}), one row per (e-mail, model, billing class) with requests. Never goes down.
     */
    default List<UsageTotals> usageTotals(String account) {
        List<UsageTotals> out = new ArrayList<>();
        usageTotals(account, out::add);
        return Collections.unmodifiableList(out);
    }

    /** {@link #usageTotals(String)} handed to {@code sink} row by row, never held whole. */
    void usageTotals(String account, Consumer<? super UsageTotals> sink);

    /**
     * What complete re-reads took back from the stored events of days on or after the counter epoch (events
     * re-classified as not charged, costs restated lower, superseded versions; REFERENCE.md Q21), one row per
     * (e-mail, model, billing class). {@link #usageTotals} minus this is what Cursor reports now.
     */
    default List<UsageTotals> usageWithdrawn(String account) {
        List<UsageTotals> out = new ArrayList<>();
        usageWithdrawn(account, out::add);
        return Collections.unmodifiableList(out);
    }

    /** {@link #usageWithdrawn(String)} handed to {@code sink} row by row, never held whole. */
    void usageWithdrawn(String account, Consumer<? super UsageTotals> sink);

    /**
     * {@link #usageTotals(String)} summed per e-mail, largest cost first (ties: more requests, then e-mail); one row
     * per e-mail with usage.
     */
    List<UsageRank> usageCostByEmail(String account);

    /**
     * {@link #usageTotals(String)} summed per model, largest cost first (ties as by e-mail), handed to {@code sink}
     * row by row: a reader that needs the first few stops caring about the rest without holding them.
     */
    void usageCostByModel(String account, Consumer<? super UsageRank> sink);

    /** Daily-usage sums over the stored days on or after the counter epoch (all days when none), one row per e-mail. */
    List<ActivityTotals> activityTotals(String account);

    /**
     * Usage-event cost per e-mail by event day, summed over each of {@code ranges} counting only the days in
     * {@code days}: one row per e-mail with usage on any of those days (O(e-mails) rows, not per day), sorted.
     */
    List<UserCostSums> userCostSums(String account, List<UserCostSums.Range> ranges, Set<LocalDate> days);

    /** Newest day with any daily-usage row. */
    Optional<LocalDate> newestDailyUsageDay(String account);

    /** E-mails with {@code isActive} on at least one day in {@code from}..{@code to} (inclusive). */
    Set<String> activeUsers(String account, LocalDate from, LocalDate to);

    /**
     * Counts the changes of the stored directory assignment ({@link StoreWriter#assignGroups}); 0 before the
     * first. History grouped by team or location is grouped by the assignment of this version.
     */
    long assignmentVersion();

    /** The Enterprise sources' data (billing groups, Analytics API, AI Code Tracking). */
    EnterpriseReader enterprise();

    /** What the OTLP receiver stored (Cursor's OpenTelemetry Export). */
    OtelReader otel();

    /** Per-day reads for the Grafana datasource and forecasts. */
    DailyQueries daily();
}
