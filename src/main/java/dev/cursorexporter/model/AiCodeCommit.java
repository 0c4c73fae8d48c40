package dev.cursorexporter.model;

import java.time.Instant;

/**
 * One commit of {@code GET /analytics/ai-code/commits} (REFERENCE.md §4.1). The commit message is deliberately
 * absent: it is never read from the response, so it cannot be stored or logged.
 *
 * @param email         lower-cased {@code userEmail}, or null
 * @param repo          {@code repoName}, or null
 * @param branch        {@code branchName}, or null
 * @param primaryBranch {@code isPrimaryBranch}; null when Cursor does not know the default branch
 * @param commitSource  {@code ide}, {@code cli}, {@code cloud}, or null (absent before 2026)
 * @param nonAiLinesAdded {@code nonAiLinesAdded}, or {@code max(0, total - tab - composer)} when null
 * @param commitTs      null when unknown
 * @param createdAt     ingestion time, or null
 */
public record AiCodeCommit(String commitHash, String userId, String email, String repo, String branch,
                           Boolean primaryBranch, String commitSource, long totalLinesAdded,
                           long totalLinesDeleted, long tabLinesAdded, long tabLinesDeleted,
                           long composerLinesAdded, long composerLinesDeleted, long nonAiLinesAdded,
                           long nonAiLinesDeleted, Instant commitTs, Instant createdAt) {

    /** When the commit happened for day attribution: {@code commitTs}, else {@code createdAt}. */
    public Instant time() {
        return commitTs != null ? commitTs : createdAt;
    }
}
