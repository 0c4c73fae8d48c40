package dev.cursorexporter.cursor;

import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.EventsRead;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Read-only view of one Cursor team account's Admin API. Implementations never call a write endpoint.
 * Every method fetches all pages; a failure after retries throws {@link CursorApiException}.
 */
public interface CursorApi {

    /**
     * A fingerprint of the credential as it is now (a key file may be rotated while the exporter runs), so the
     * sync can tell that the key changed; never the key itself. Empty when unknown.
     */
    default String credentialFingerprint() {
        return "";
    }

    /** Longest range, in days, that one daily-usage or usage-events request may span (Q1). */
    int MAX_WINDOW_DAYS = 30;

    /** {@code GET /teams/members}. */
    List<Member> members();

    /** {@code POST /teams/spend}, every page, current billing cycle. */
    SpendReport spend();

    /**
     * {@code POST /teams/daily-usage-data} for the UTC days {@code from}..{@code to}, both inclusive, at most
     * {@link #MAX_WINDOW_DAYS} days; always paginated by user ({@code page}+{@code pageSize}, Q10).
     */
    List<DailyUsageRow> dailyUsage(LocalDate from, LocalDate to);

    /**
     * {@code POST /teams/filtered-usage-events} for {@code from}..{@code to}, both inclusive to the millisecond
     * (Q11), spanning at most {@link #MAX_WINDOW_DAYS} days. Pages are handed to {@code pageConsumer} as they
     * arrive so a large window never sits in memory whole.
     *
     * @return what the read held, to tell a complete re-read (which replaces stored events) from a partial one
     */
    EventsRead usageEvents(Instant from, Instant to, Consumer<List<UsageEvent>> pageConsumer);
}
