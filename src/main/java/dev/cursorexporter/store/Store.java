package dev.cursorexporter.store;

import dev.cursorexporter.cursor.DailyUsageRow;
import dev.cursorexporter.cursor.Member;
import dev.cursorexporter.cursor.Source;
import dev.cursorexporter.cursor.SpendReport;

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

    /** Usage-event totals over all stored events, one row per (e-mail, model, billing class). */
    List<UsageTotals> usageTotals(String account);

    /** Daily-usage sums over all stored days, one row per e-mail. */
    List<ActivityTotals> activityTotals(String account);

    /** Newest day with any daily-usage row. */
    Optional<LocalDate> newestDailyUsageDay(String account);

    /** E-mails with {@code isActive} on at least one day in {@code from}..{@code to} (inclusive). */
    Set<String> activeUsers(String account, LocalDate from, LocalDate to);

    /** Every account name with any stored data. */
    List<String> accounts();

    @Override
    void close();
}
