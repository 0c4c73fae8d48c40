package dev.cursorexporter.store;

/** Sums over all stored daily-usage rows of one e-mail. */
public record ActivityTotals(String email, long linesAdded, long acceptedLinesAdded, long tabsShown,
                             long tabsAccepted, long chatRequests, long composerRequests, long agentRequests,
                             long cmdkUsages, long bugbotUsages) {
}
