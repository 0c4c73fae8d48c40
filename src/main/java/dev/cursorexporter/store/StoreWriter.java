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
 * What the sync writes, and the little it reads back to plan its next call (coverage, epochs, source states).
 * Writes that cover a range of days record that coverage in the same transaction, so a crash never leaves data
 * without coverage or coverage without data. E-mails are stored lower-cased; a missing e-mail is stored as "".
 * Thread-safe.
 */
public interface StoreWriter {
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
     * Stores the team and location {@code assignment} gives each e-mail the store has usage or activity of, where
     * it differs from the stored one, and regroups the per-team and per-location rollups of every day those e-mails
     * have rows on, all in one transaction; a change counts a new {@link StoreReader#assignmentVersion}. Called
     * with the directory the read side uses, at start, after each reload and after each sync (new e-mails, new
     * billing groups), so grouped history always follows the current directory. Returns the e-mails changed.
     *
     * @param assignment stored (lower-cased) e-mail, "" for events without one, to its team and location
     */
    int assignGroups(java.util.function.Function<String, GroupAssignment> assignment);

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

    /** Persists what the sync knows about a source so status survives a restart. */
    void saveSourceState(String account, Source source, SourceState state);

    Map<Source, SourceState> sourceStates(String account);

    /** Records that Cursor refused the key on {@code source}; {@code refusal} null = it succeeded since. */
    void saveAuthRefusal(String account, Source source, AuthRefusal refusal);

    /** Core sources whose last poll was refused (401/403) and that have not succeeded since. */
    Map<Source, AuthRefusal> authRefusals(String account);

    /** The Enterprise sources' writes. */
    EnterpriseWriter enterprise();
}
