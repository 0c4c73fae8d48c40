package dev.cursorexporter.store;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AuditEvent;
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

/** Writes of the Enterprise-only sources, and what their jobs read back (availability, ETags). Thread-safe. */
public interface EnterpriseWriter {
    /** Records whether a plan-gated source answered at its last probe. */
    void saveAvailability(String account, Source source, SourceAvailability availability);

    /** Sources probed at least once; absent ones were never asked. */
    Map<Source, SourceAvailability> availability(String account);

    /** Replaces the current cycle's groups and memberships; per-group daily spend is upserted and kept. */
    void saveBillingGroups(String account, BillingGroups groups, Instant fetchedAt);

    /**
     * Upserts Analytics points of {@code metric} (restated values only go up) and, when {@code etag} is not null,
     * stores it for {@code url} in the same transaction; marks {@code from}..{@code to} covered for
     * {@link Source#ANALYTICS} when {@code markCovered}.
     */
    void saveAnalytics(String account, AnalyticsMetric metric, List<AnalyticsPoint> points, LocalDate from,
                       LocalDate to, boolean markCovered, String url, String etag);

    /** The ETag stored for a request URL (path and query). */
    Optional<String> etag(String account, String url);

    /**
     * Upserts commits by hash (a hash seen again replaces its row); marks {@code from}..{@code to} covered for
     * {@link Source#AI_CODE} when {@code markCovered}, in the same transaction.
     */
    void saveAiCodeCommits(String account, List<AiCodeCommit> commits, LocalDate from, LocalDate to,
                           boolean markCovered);

    /**
     * Upserts audit events by id (an id seen again replaces its row); marks {@code from}..{@code to} covered for
     * {@link Source#AUDIT_LOGS} when {@code markCovered}, in the same transaction.
     */
    void saveAuditEvents(String account, List<AuditEvent> events, LocalDate from, LocalDate to, boolean markCovered);
}
