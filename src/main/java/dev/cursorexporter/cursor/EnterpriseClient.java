package dev.cursorexporter.cursor;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.Source;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link EnterpriseApi} over the same {@link ApiTransport} as the {@link CursorClient} it comes from
 * ({@link CursorClient#enterprise()}): one connection pool, one retry policy, one call counter and one place for
 * request pacing per account. Read-only: only the GETs below.
 */
public final class EnterpriseClient implements EnterpriseApi {
    private static final Logger LOG = LoggerFactory.getLogger(EnterpriseClient.class);

    static final String GROUPS = "/teams/groups";
    static final String ANALYTICS = "/analytics/team/";
    static final String AI_CODE_COMMITS = "/analytics/ai-code/commits";
    static final String AUDIT_LOGS = "/teams/audit-logs";
    /** The documented maximum (REFERENCE.md §2.2). */
    static final int AUDIT_PAGE_SIZE = 500;
    /** Faros found 500 to be the practical maximum page size (REFERENCE.md §4). */
    static final int COMMITS_PAGE_SIZE = 500;

    private final ApiTransport transport;
    private final EnterpriseParser parser = new EnterpriseParser();
    private final RejectionLog rejections;

    EnterpriseClient(ApiTransport transport, RejectionLog rejections) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    @Override
    public BillingGroups billingGroups() {
        JsonNode root = transport.get(GROUPS);
        PayloadParser.Parsed<BillingGroups.Group> parsed = parser.groups(root);
        rejections.report(Source.BILLING_GROUPS, parsed.rejected());
        JsonNode cycle = root.path("billingCycle");
        return new BillingGroups(parsed.items(), JsonFields.instant(cycle, "cycleStart"),
                JsonFields.instant(cycle, "cycleEnd"));
    }

    @Override
    public AnalyticsAnswer analytics(AnalyticsMetric metric, LocalDate from, LocalDate to, String etag) {
        Objects.requireNonNull(metric, "metric");
        checkDays(from, to);
        Map<String, String> query = new LinkedHashMap<>();
        // YYYY-MM-DD (not timestamps) so that repeated polls hit Cursor's cache (§1.8)
        query.put("startDate", from.toString());
        query.put("endDate", to.toString());
        String path = ANALYTICS + metric.path();
        ApiTransport.Conditional answer = transport.getConditional(path, query, etag);
        if (answer.notModified()) {
            return new AnalyticsAnswer(List.of(), answer.etag(), true);
        }
        PayloadParser.Parsed<AnalyticsPoint> parsed = parser.analytics(metric, answer.body());
        rejections.report(Source.ANALYTICS, parsed.rejected());
        return new AnalyticsAnswer(parsed.items(), answer.etag(), false);
    }

    @Override
    public void aiCodeCommits(Instant from, Instant to, Consumer<List<AiCodeCommit>> pageConsumer) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(pageConsumer, "pageConsumer");
        CursorClient.checkWindow("AI code commits", from, to);
        List<Rejection> rejected = new java.util.ArrayList<>();
        for (int page = 1; ; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("startDate", from.truncatedTo(ChronoUnit.MILLIS).toString());
            query.put("endDate", to.truncatedTo(ChronoUnit.MILLIS).toString());
            query.put("page", Integer.toString(page));
            query.put("pageSize", Integer.toString(COMMITS_PAGE_SIZE));
            JsonNode root = transport.get(AI_CODE_COMMITS, query);
            PayloadParser.Parsed<AiCodeCommit> parsed = parser.commits(root);
            rejected.addAll(parsed.rejected());
            pageConsumer.accept(parsed.items());
            int onPage = parsed.items().size() + parsed.rejected().size();
            if (onPage == 0 || !EnterpriseParser.itemsHasNext(root, page, COMMITS_PAGE_SIZE, onPage)) {
                break;
            }
            if (page >= CursorClient.MAX_PAGES) {
                throw new CursorApiException(AI_CODE_COMMITS, 0, "GET " + AI_CODE_COMMITS
                        + ": pagination did not end after " + CursorClient.MAX_PAGES + " pages", null);
            }
        }
        rejections.report(Source.AI_CODE, rejected);
    }

    @Override
    public void auditEvents(Instant from, Instant to, Consumer<List<AuditEvent>> pageConsumer) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(pageConsumer, "pageConsumer");
        CursorClient.checkWindow("audit logs", from, to);
        List<Rejection> rejected = new java.util.ArrayList<>();
        PageGuard guard = new PageGuard("GET", AUDIT_LOGS, AUDIT_PAGE_SIZE);
        for (int page = 1; ; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            // ISO instants, not YYYY-MM-DD: a date as endTime means 00:00 and would leave its day out (Q11)
            query.put("startTime", from.truncatedTo(ChronoUnit.MILLIS).toString());
            query.put("endTime", to.truncatedTo(ChronoUnit.MILLIS).toString());
            query.put("page", Integer.toString(page));
            query.put("pageSize", Integer.toString(AUDIT_PAGE_SIZE));
            JsonNode root = transport.get(AUDIT_LOGS, query);
            PayloadParser.Parsed<AuditEvent> parsed = parser.auditEvents(root);
            rejected.addAll(parsed.rejected());
            List<AuditEvent> inWindow = new java.util.ArrayList<>(parsed.items().size());
            for (AuditEvent e : parsed.items()) {
                // an event outside the window asked for would be counted on a day never read again, or on none
                if (e.timestamp().isBefore(from) || e.timestamp().isAfter(to)) {
                    rejected.add(new Rejection(Rejection.OUTSIDE_WINDOW, "audit event " + e.eventId() + " timestamp="
                            + e.timestamp() + " outside " + from + ".." + to));
                } else {
                    inWindow.add(e);
                }
            }
            pageConsumer.accept(inWindow);
            int onPage = parsed.items().size() + parsed.rejected().size();
            if (onPage == 0 || !Pagination.paginationHasNext(root, page)
                    || guard.last(page, root, parsed.items())) {
                break;
            }
        }
        rejections.report(Source.AUDIT_LOGS, rejected);
    }

    private static void checkDays(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("analytics: from " + from + " is after to " + to);
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_WINDOW_DAYS) {
            throw new IllegalArgumentException("analytics: " + from + ".." + to + " spans " + days
                    + " days, at most " + MAX_WINDOW_DAYS + " allowed");
        }
    }


    @Override
    public String toString() {
        return "EnterpriseClient[" + transport + "]";
    }
}
