package dev.cursorexporter.sync;

import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SourceAvailability;
import dev.cursorexporter.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jobs of the Enterprise-only sources of one account (billing groups, Analytics API, AI Code Tracking).
 * A 401/403 answer marks the source unavailable to the team: that is a fact about the plan, not a failed poll, so
 * the job succeeds and the state is stored. An unavailable source is probed again at the first run after a start,
 * on a forced sync ({@code POST /admin/sync}), after Cursor accepts a key it had refused, and otherwise after
 * {@link #REPROBE}. The core sources are not affected either way. {@link AccountSync} does not run these jobs
 * while Cursor refuses the key on the core sources: a refused key says nothing about the plan.
 */
final class EnterpriseSync {
    private static final Logger LOG = LoggerFactory.getLogger(EnterpriseSync.class);

    /** How long an unavailable source is left alone before it is probed again. */
    static final Duration REPROBE = Duration.ofDays(1);

    private static final List<AnalyticsMetric> METRICS = List.of(AnalyticsMetric.values());

    private final String account;
    private final EnterpriseApi api;
    private final StoreWriter store;
    private final WindowPlanner planner;
    private final Clock clock;
    /** Sources probed since start (or since {@link #reprobe()}); touched on the sync thread only. */
    private final Set<Source> probed = EnumSet.noneOf(Source.class);

    EnterpriseSync(String account, EnterpriseApi api, StoreWriter store, WindowPlanner planner, Clock clock) {
        this.account = account;
        this.api = api;
        this.store = store;
        this.planner = planner;
        this.clock = clock;
    }

    /** Forgets which sources were probed, so each is asked again at its next run (the key was accepted again). */
    void reprobe() {
        probed.clear();
    }

    /**
     * Runs one Enterprise source; returns a summary for the log.
     *
     * @param force probe even a source stored as unavailable (a forced sync)
     */
    String run(Source source, boolean force) {
        SourceAvailability known = store.enterprise().availability(account).get(source);
        Instant now = clock.instant();
        if (!force && probed.contains(source) && known != null && !known.available()
                && now.isBefore(known.checkedAt().plus(REPROBE))) {
            return "not available to this team; next probe after " + known.checkedAt().plus(REPROBE);
        }
        probed.add(source);
        try {
            String summary = switch (source) {
                case BILLING_GROUPS -> billingGroups();
                case ANALYTICS -> analytics();
                case AI_CODE -> aiCode();
                case AUDIT_LOGS -> auditLogs();
                default -> throw new IllegalArgumentException(source + " is not an Enterprise source");
            };
            store.enterprise().saveAvailability(account, source, new SourceAvailability(true, clock.instant(), null));
            return summary;
        } catch (CursorApiException e) {
            if (!e.isNotPermitted()) {
                throw e;
            }
            store.enterprise().saveAvailability(account, source, new SourceAvailability(false, clock.instant(), e.getMessage()));
            LOG.info("{} {}: not available to this team ({}); Enterprise plan and an admin-scoped key are needed."
                    + " Probing again in {} h", account, source.label(), e.getMessage(), REPROBE.toHours());
            return "not available to this team";
        }
    }

    private String billingGroups() {
        BillingGroups groups = api.billingGroups();
        store.enterprise().saveBillingGroups(account, groups, clock.instant());
        return groups.groups().size() + " groups";
    }

    private String analytics() {
        List<DayWindow> windows = planner.plan(today(), store.coveredDays(account, Source.ANALYTICS));
        long points = 0;
        int notModified = 0;
        for (DayWindow w : windows) {
            for (AnalyticsMetric metric : METRICS) {
                boolean cover = w.final_() && metric == METRICS.get(METRICS.size() - 1);
                String url = EnterpriseApi.analyticsUrl(metric, w.from(), w.to());
                String etag = store.enterprise().etag(account, url).orElse(null);
                AnalyticsAnswer answer = api.analytics(metric, w.from(), w.to(), etag);
                if (answer.notModified()) {
                    // 304: what is stored under this ETag is current
                    notModified++;
                    if (cover) {
                        store.enterprise().saveAnalytics(account, metric, List.of(), w.from(), w.to(), true, null, null);
                    }
                    continue;
                }
                store.enterprise().saveAnalytics(account, metric, answer.points(), w.from(), w.to(), cover, url, answer.etag());
                points += answer.points().size();
            }
        }
        return windows.size() + " windows, " + points + " points, " + notModified + " not modified";
    }

    private String aiCode() {
        Instant now = clock.instant();
        List<DayWindow> windows = planner.plan(today(), store.coveredDays(account, Source.AI_CODE));
        AtomicLong commits = new AtomicLong();
        for (DayWindow w : windows) {
            Instant from = w.from().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant endOfDay = w.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
            Instant to = endOfDay.isAfter(now) ? now.truncatedTo(ChronoUnit.MILLIS) : endOfDay;
            // Each page is stored as it comes (upserts by hash are idempotent); the window counts as covered
            // only once all its pages are in.
            api.aiCodeCommits(from, to, page -> {
                store.enterprise().saveAiCodeCommits(account, page, w.from(), w.to(), false);
                commits.addAndGet(page.size());
            });
            if (w.final_()) {
                store.enterprise().saveAiCodeCommits(account, List.of(), w.from(), w.to(), true);
            }
        }
        return windows.size() + " windows, " + commits.get() + " commits";
    }

    private String auditLogs() {
        Instant now = clock.instant();
        List<DayWindow> windows = planner.plan(today(), store.coveredDays(account, Source.AUDIT_LOGS));
        AtomicLong events = new AtomicLong();
        for (DayWindow w : windows) {
            Instant from = w.from().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant endOfDay = w.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
            Instant to = endOfDay.isAfter(now) ? now.truncatedTo(ChronoUnit.MILLIS) : endOfDay;
            // upserts by event id are idempotent: each page is stored as it comes, the window covered at the end
            api.auditEvents(from, to, page -> {
                store.enterprise().saveAuditEvents(account, page, w.from(), w.to(), false);
                events.addAndGet(page.size());
            });
            if (w.final_()) {
                store.enterprise().saveAuditEvents(account, List.of(), w.from(), w.to(), true);
            }
        }
        return windows.size() + " windows, " + events.get() + " audit events";
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
