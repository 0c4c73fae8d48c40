package dev.cursorexporter.store;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EnterpriseContract} on an SQLite file, and that commit messages never reach the file. */
class SqliteEnterpriseTest extends EnterpriseContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }

    @Test
    void commitsAreCountedOncePerHashAndSummedPerUser() throws Exception {
        store.enterprise().saveAiCodeCommits(ACME, List.of(
                commit("a1", "dana@example.com", 10, 20, 5, "2026-03-01T10:00:00Z"),
                commit("a2", "dana@example.com", 1, 2, 3, "2026-03-02T10:00:00Z"),
                commit("b1", "lee@example.com", 0, 0, 9, "2026-03-02T11:00:00Z")), D1, D2, false);
        // the look-back re-read sees a1 again (amended, more lines): replaced, not added
        store.enterprise().saveAiCodeCommits(ACME, List.of(commit("a1", "dana@example.com", 10, 25, 5, "2026-03-01T10:00:00Z")),
                D1, D2, true);
        reopen();

        assertEquals(List.of(new AiCodeTotals("dana@example.com", 2, 46, 11, 27, 8),
                new AiCodeTotals("lee@example.com", 1, 9, 0, 0, 9)), store.enterprise().aiCodeTotals(ACME));
        assertEquals(Set.of(D1, D2), store.coveredDays(ACME, Source.AI_CODE));
        String file = new String(Files.readAllBytes(dir.resolve(SqliteStore.FILE_NAME)), "ISO-8859-1");
        assertFalse(file.contains("message"), "the schema has no place for a commit message");
    }
}
