package dev.cursorexporter.model;

import java.time.LocalDate;

/**
 * One row of {@code data[]} from {@code POST /teams/daily-usage-data}: one user on one UTC day.
 * Missing numbers are 0; {@code mostUsedModel} and {@code clientVersion} are "" when absent or "" (Q8).
 */
public record DailyUsageRow(
        LocalDate day,
        String userId,
        String email,
        boolean active,
        long totalLinesAdded,
        long totalLinesDeleted,
        long acceptedLinesAdded,
        long acceptedLinesDeleted,
        long totalApplies,
        long totalAccepts,
        long totalRejects,
        long totalTabsShown,
        long totalTabsAccepted,
        long composerRequests,
        long chatRequests,
        long agentRequests,
        long cmdkUsages,
        long subscriptionIncludedReqs,
        long apiKeyReqs,
        long usageBasedReqs,
        long bugbotUsages,
        String mostUsedModel,
        String clientVersion) {
}
