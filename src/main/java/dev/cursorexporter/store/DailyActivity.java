package dev.cursorexporter.store;

import java.time.LocalDate;

/**
 * Daily-usage sums of one day and group. A dimension not grouped by is null.
 *
 * @param team        the team of the stored assignment when grouped by team and location
 *                    ({@link DailyQueries#UNASSIGNED} for e-mails it does not cover yet)
 * @param activeUsers distinct e-mails with {@code isActive} that day (0 or 1 when grouped by user)
 */
public record DailyActivity(LocalDate day, String account, String email, String team, String location,
                            long activeUsers, long linesAdded, long acceptedLinesAdded, long tabsShown,
                            long tabsAccepted, long chatRequests, long composerRequests, long agentRequests,
                            long cmdkUsages, long bugbotUsages) {

    /** A row not grouped by team and location. */
    public DailyActivity(LocalDate day, String account, String email, long activeUsers, long linesAdded,
                         long acceptedLinesAdded, long tabsShown, long tabsAccepted, long chatRequests,
                         long composerRequests, long agentRequests, long cmdkUsages, long bugbotUsages) {
        this(day, account, email, null, null, activeUsers, linesAdded, acceptedLinesAdded, tabsShown, tabsAccepted,
                chatRequests, composerRequests, agentRequests, cmdkUsages, bugbotUsages);
    }
}
