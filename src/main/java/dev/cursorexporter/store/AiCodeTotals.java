package dev.cursorexporter.store;

/** AI Code Tracking commits of one user (lower-cased e-mail, "" when unknown) summed over all stored days. */
public record AiCodeTotals(String email, long commits, long totalLinesAdded, long tabLinesAdded,
                           long composerLinesAdded, long nonAiLinesAdded) {
}
