package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncHealthTest {
    private static final Instant T = Instant.parse("2026-03-02T12:00:00Z");

    private static CursorApiException status(int code) {
        return new CursorApiException("/teams/spend", code, "POST /teams/spend: HTTP " + code, null);
    }

    @Test
    void a401Or403OnACoreSourceFailsAuthUntilThatSourceSucceeds() {
        SyncHealth health = new SyncHealth();
        health.record("a", Source.SPEND, status(401), T);
        health.record("a", Source.MEMBERS, null, T.plusSeconds(1));
        assertTrue(health.authFailing("a"), "members succeeding does not clear spend's refusal");
        assertEquals(401, health.authFailure("a").orElseThrow().status());
        assertFalse(health.authFailing("b"));
        health.record("a", Source.USAGE_EVENTS, status(403), T.plusSeconds(2));
        assertEquals(403, health.authFailure("a").orElseThrow().status(), "the latest refusal");
        health.record("a", Source.SPEND, null, T.plusSeconds(3));
        assertTrue(health.authFailing("a"));
        health.record("a", Source.USAGE_EVENTS, null, T.plusSeconds(4));
        assertFalse(health.authFailing("a"));
    }

    @Test
    void theStateIsKeptInTheStoreSoARestartShowsIt(@TempDir Path dir) throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            SyncHealth before = new SyncHealth(store);
            before.record("a", Source.MEMBERS, status(401), T);
            assertTrue(new SyncHealth(store).authFailing("a"), "a new process reads the refusal");
            assertEquals(401, new SyncHealth(store).authFailure("a").orElseThrow().status());
            assertTrue(before.record("a", Source.MEMBERS, null, T.plusSeconds(5)), "the key is accepted again");
            assertFalse(new SyncHealth(store).authFailing("a"));
            assertFalse(before.record("a", Source.MEMBERS, null, T.plusSeconds(6)), "no change, no recovery");
        }
    }

    @Test
    void otherFailuresSayNothingAboutTheKey() {
        SyncHealth health = new SyncHealth();
        for (int code : new int[] {0, 400, 404, 429, 500}) {
            health.record("a", Source.MEMBERS, status(code), T);
        }
        health.record("a", Source.MEMBERS, new IllegalStateException("store full"), T);
        assertFalse(health.authFailing("a"));
    }
}
