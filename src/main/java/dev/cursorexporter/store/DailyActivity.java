package dev.cursorexporter.store;

import java.time.LocalDate;

/**
 * Daily-usage sums of one day and group. A dimension not grouped by is null.
 *
 * @param activeUsers distinct e-mails with {@code isActive} that day (0 or 1 when grouped by user)
 */
public record DailyActivity(LocalDate day, String account, String email, long activeUsers, long linesAdded,
                            long acceptedLinesAdded, long tabsShown, long tabsAccepted, long chatRequests,
                            long composerRequests, long agentRequests, long cmdkUsages, long bugbotUsages) {
}
