package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.testing.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poller lock on a real PostgreSQL server, as two replicas use it: one holder per account, accounts
 * independent, released on close, and lost (on both sides) when the holder's session ends as a killed process's does.
 */
class PostgresPollerLockTest {
    private final String url = PostgresStores.freshDatabase();

    private PostgresPollerLock lock() {
        return PostgresPollerLock.of(url, Optional.of(new Secret(PostgresServer.PASSWORD)));
    }

    @Test
    void oneHolderPerAccountUntilItCloses() {
        try (PostgresPollerLock a = lock(); PostgresPollerLock b = lock()) {
            assertTrue(a.tryHold("acme"));
            assertFalse(b.tryHold("acme"), "a second replica does not poll the same account");
            assertTrue(a.tryHold("acme"), "the holder keeps it at every check");
            assertTrue(b.tryHold("globex"), "another account is free");
            assertFalse(a.tryHold("globex"));
            a.close();
            assertTrue(b.tryHold("acme"), "a graceful stop hands the account over at the next try");
        }
    }

    @Test
    void aSessionEndedByTheServerFreesTheLockAndTheFormerHolderNoticesIt() throws Exception {
        try (PostgresPollerLock a = lock(); PostgresPollerLock b = lock()) {
            assertTrue(a.tryHold("acme"));
            assertFalse(b.tryHold("acme"));
            // what kill -9 of the holder amounts to on the server: its session ends
            assertEquals(1, terminateSessionsOf("cursor-exporter poller lock"));
            // pg_terminate_backend signals the session; it ends (and frees the lock) moments later
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!b.tryHold("acme") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(b.tryHold("acme"), "the other replica takes over at its next try");
            assertFalse(a.tryHold("acme"), "the former holder sees it lost the lock and must stop polling");
        }
    }

    @Test
    void keysAreStableAndDistinctPerAccount() {
        assertEquals(PostgresPollerLock.key("acme"), PostgresPollerLock.key("acme"));
        assertNotEquals(PostgresPollerLock.key("acme"), PostgresPollerLock.key("acme2"));
        assertNotEquals(PostgresPollerLock.key("default"), PostgresPollerLock.key("Default"));
    }

    @Test
    void aSoleProcessAlwaysPolls() {
        assertTrue(PollerLock.SOLE.tryHold("anything"));
    }

    /** Ends the server sessions holding an advisory lock (the lock's own session is the only one here). */
    private int terminateSessionsOf(String application) throws Exception {
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             PreparedStatement q = c.prepareStatement("""
                     SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid)) FROM pg_stat_activity a
                     WHERE a.application_name = ? AND a.datname = current_database()
                       AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory')""")) {
            q.setString(1, application);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
