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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable store: everything the exporter learned from Cursor, per account. Writes that cover a range of days
 * record that coverage in the same transaction, so a crash never leaves data without coverage or coverage
 * without data. E-mails are stored lower-cased; a missing e-mail is stored as "" and read back as "".
 * Thread-safe.
 */
public interface Store extends AutoCloseable {

    /** Human-readable kind for status output, e.g. {@code sqlite}. */
    String kind();

    /** Bytes on disk, or -1 when unknown. */
    long sizeBytes();

    // ---- writes -------------------------------------------------------------------------------------------

    /**
     * Replaces the member list of {@code account}: listed members are upserted; members stored before but absent
     * now are kept and marked removed (Q7: removed users may simply be absent).
     */
    void saveMembers(String account, List<Member> members, Instant fetchedAt);

    /**
     * Replaces the current-cycle spend of {@code account} with {@code report} and records it as the snapshot
     * of the UTC day of {@code fetchedAt} (one row per member and day, last write of the day wins).
     */
    void saveSpend(String account, SpendReport report, Instant fetchedAt);

    /**
     * Upserts daily-usage rows keyed by (account, day, e-mail). A restated row replaces each stored number only
     * upward (counters never go down). Marks {@code from}..{@code to} covered for {@link Source#DAILY_USAGE}
     * when {@code markCovered} is true, in the same transaction.
     */
    void saveDailyUsage(String account, List<DailyUsageRow> rows, LocalDate from, LocalDate to, boolean markCovered);

    /**
     * Starts writing one fetched window of usage events. Pages are added as they arrive; {@link EventWindow#commit}
     * merges the whole window into the store atomically.
     */
    EventWindow openEventWindow(String account, LocalDate from, LocalDate to);

    /** Days of {@code source} already stored completely (not to be fetched again, look-back aside). */
    Set<LocalDate> coveredDays(String account, Source source);

    /**
     * Records the counter epoch of {@code account} unless it has one: {@code firstBackfillDay} (the first day the
     * first backfill covers), or the earliest day already stored when that is older. {@link #usageTotals} and
     * {@link #activityTotals} count only days on or after the epoch, so a later, larger backfill fills history
     * without raising the counters. Returns the epoch in force.
     */
    LocalDate startCounterEpoch(String account, LocalDate firstBackfillDay);

    /** The counter epoch of {@code account}; empty before its first backfill started (counters then count all). */
    Optional<LocalDate> counterEpoch(String account);

    /** Persists what the sync knows about a source so status survives a restart. */
    void saveSourceState(String account, Source source, SourceState state);

    Map<Source, SourceState> sourceStates(String account);

    // ---- reads for the metrics snapshot ---------------------------------------------------------------------

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
    List<UsageTotals> usageTotals(String account);

    /**
     * What complete re-reads took back from the stored events of days on or after the counter epoch (events
     * re-classified as not charged, costs restated lower, superseded versions; REFERENCE.md Q21), one row per
     * (e-mail, model, billing class). {@link #usageTotals} minus this is what Cursor reports now.
     */
    List<UsageTotals> usageWithdrawn(String account);

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

    /** Records that Cursor refused the key on {@code source}; {@code refusal} null = it succeeded since. */
    void saveAuthRefusal(String account, Source source, AuthRefusal refusal);

    /** Core sources whose last poll was refused (401/403) and that have not succeeded since. */
    Map<Source, AuthRefusal> authRefusals(String account);

    /** Every account name with any stored data. */
    List<String> accounts();

    // ---- Enterprise sources (billing groups, Analytics API, AI Code Tracking) --------------------------------

    /** Records whether a plan-gated source answered at its last probe. */
    void saveAvailability(String account, Source source, SourceAvailability availability);

    /** Sources probed at least once; absent ones were never asked. */
    Map<Source, SourceAvailability> availability(String account);

    /** Replaces the current cycle's groups and memberships; per-group daily spend is upserted and kept. */
    void saveBillingGroups(String account, BillingGroups groups, Instant fetchedAt);

    /** The current cycle's groups, the reserved {@code Unassigned} group included (flagged). */
    List<StoredBillingGroup> billingGroups(String account);

    /** {@code billingCycle.cycleEnd} of the latest groups fetch. */
    Optional<Instant> billingCycleEnd(String account);

    /**
     * Lower-cased e-mail to billing-group name for members of a named group (members of the reserved
     * {@code Unassigned} group are left out, so callers apply their own default); usable as the {@code team}.
     */
    Map<String, String> billingGroupOfMember(String account);

    /**
     * Upserts Analytics points of {@code metric} (restated values only go up) and, when {@code etag} is not null,
     * stores it for {@code url} in the same transaction; marks {@code from}..{@code to} covered for
     * {@link Source#ANALYTICS} when {@code markCovered}.
     */
    void saveAnalytics(String account, AnalyticsMetric metric, List<AnalyticsPoint> points, LocalDate from,
                       LocalDate to, boolean markCovered, String url, String etag);

    /** The ETag stored for a request URL (path and query). */
    Optional<String> etag(String account, String url);

    /** Each (dimension, field) of {@code metric} summed over all stored days. */
    List<AnalyticsTotal> analyticsTotals(String account, AnalyticsMetric metric);

    Optional<LocalDate> newestAnalyticsDay(String account, AnalyticsMetric metric);

    /** The points of {@code metric} stored for one day. */
    List<AnalyticsPoint> analyticsDay(String account, AnalyticsMetric metric, LocalDate day);

    /**
     * Upserts commits by hash (a hash seen again replaces its row); marks {@code from}..{@code to} covered for
     * {@link Source#AI_CODE} when {@code markCovered}, in the same transaction.
     */
    void saveAiCodeCommits(String account, List<AiCodeCommit> commits, LocalDate from, LocalDate to,
                           boolean markCovered);

    /** Stored commits summed per user. */
    List<AiCodeTotals> aiCodeTotals(String account);

    @Override
    void close();
}
