package dev.cursorexporter.cursor;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.BillingGroups;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Read-only view of the Enterprise-only sources of one Cursor account: billing groups, the team-level Analytics
 * API, AI Code Tracking and the audit log. A team without them answers 401 or 403; that arrives as a
 * {@link CursorApiException} with {@link CursorApiException#isNotPermitted()} true.
 */
public interface EnterpriseApi {

    /** Longest range, in days, of one Analytics or AI Code Tracking request (both bounds inclusive). */
    int MAX_WINDOW_DAYS = 30;

    /** {@code GET /teams/groups}, current billing cycle. */
    BillingGroups billingGroups();

    /**
     * {@code GET /analytics/team/{metric}} for the UTC days {@code from}..{@code to} (both inclusive, at most
     * {@link #MAX_WINDOW_DAYS}), with {@code If-None-Match: etag} when {@code etag} is not null.
     */
    AnalyticsAnswer analytics(AnalyticsMetric metric, LocalDate from, LocalDate to, String etag);

    /**
     * {@code GET /analytics/ai-code/commits} for {@code from}..{@code to} (less than {@link #MAX_WINDOW_DAYS}
     * days), every page, handed to {@code pageConsumer} as it arrives.
     */
    void aiCodeCommits(Instant from, Instant to, Consumer<List<AiCodeCommit>> pageConsumer);

    /**
     * {@code GET /teams/audit-logs} for {@code from}..{@code to} (exact instants, at most {@link #MAX_WINDOW_DAYS}
     * days), every page, handed to {@code pageConsumer} as it arrives.
     */
    void auditEvents(Instant from, Instant to, Consumer<List<AuditEvent>> pageConsumer);

    /** The request URL (path and query) of {@link #analytics}: the key its ETag is stored under. */
    static String analyticsUrl(AnalyticsMetric metric, LocalDate from, LocalDate to) {
        return "/analytics/team/" + metric.path() + "?startDate=" + from + "&endDate=" + to;
    }
}
