package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.EnterpriseApi;
import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.EnterpriseWriter;

import java.util.List;

/**
 * The team-level Analytics API (Enterprise), every metric by day windows, with {@code If-None-Match}: a 304 means
 * what is stored under the ETag is current. A window counts as covered once its last metric is stored.
 */
final class AnalyticsJob implements SourceJob {
    private static final List<AnalyticsMetric> METRICS = List.of(AnalyticsMetric.values());

    private final EnterpriseApi api;

    AnalyticsJob(EnterpriseApi api) {
        this.api = api;
    }

    @Override
    public Source source() {
        return Source.ANALYTICS;
    }

    @Override
    public String run(JobContext context) {
        String account = context.account();
        EnterpriseWriter store = context.store().enterprise();
        List<DayWindow> windows = context.plan();
        long points = 0;
        int notModified = 0;
        for (DayWindow w : windows) {
            context.checkpoint();
            for (AnalyticsMetric metric : METRICS) {
                boolean cover = w.final_() && metric == METRICS.get(METRICS.size() - 1);
                String url = EnterpriseApi.analyticsUrl(metric, w.from(), w.to());
                String etag = store.etag(account, url).orElse(null);
                AnalyticsAnswer answer = api.analytics(metric, w.from(), w.to(), etag);
                if (answer.notModified()) {
                    notModified++;
                    if (cover) {
                        store.saveAnalytics(account, metric, List.of(), w.from(), w.to(), true, null, null);
                    }
                    continue;
                }
                store.saveAnalytics(account, metric, answer.points(), w.from(), w.to(), cover, url, answer.etag());
                points += answer.points().size();
            }
        }
        return windows.size() + " windows, " + points + " points, " + notModified + " not modified";
    }
}
