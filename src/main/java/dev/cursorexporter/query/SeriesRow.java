package dev.cursorexporter.query;

import dev.cursorexporter.model.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One bucket and group of a {@link SeriesQuery} answer; zero when nothing happened.
 *
 * @param start    first day of the bucket
 * @param group    values of the query's {@code by} dimensions, in that order
 * @param activity daily-usage sums, or null when the query did not ask for activity
 */
public record SeriesRow(LocalDate start, List<String> group, BigDecimal costCents, long requests, long inputTokens,
                        long outputTokens, long cacheReadTokens, long cacheWriteTokens, Activity activity) {


    /** Exact dollars, without trailing zeros. */
    public BigDecimal costUsd() {
        return Money.usdPlain(costCents);
    }

    /**
     * @param activeUsers distinct members with an active day in the bucket
     */
    public record Activity(long activeUsers, long linesAdded, long aiLinesAdded, long tabsShown,
                           long tabsAccepted, long chatRequests, long composerRequests, long agentRequests,
                           long cmdkUsages, long bugbotUsages) {
    }
}
