package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.cursor.Sleeper;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.PollerLock;
import dev.cursorexporter.store.PostgresPollerLock;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two pollers of one account, as two replicas: each with its own poller lock on one real PostgreSQL database, its
 * own client of one simulator, one shared store. One polls; when its lock is lost (its session ended by the server,
 * as when its network fails) its sync stops, and within a check interval exactly one of them polls again (with a
 * new sync) while the other calls Cursor no more; a sole process (SQLite) polls at once.
 */
class AccountPollerTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration CHECK = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private record Replica(AccountPoller poller, AtomicInteger calls, PostgresPollerLock lock,
                           List<AccountSync> syncs) {
    }

    private static Replica replica(String url, Simulator sim, SqliteStore store) {
        AtomicInteger calls = new AtomicInteger();
        CursorClient client = new CursorClient(sim.baseUrl(), new Secret(sim.apiKey()), ClientSettings.defaults(),
                (endpoint, code) -> calls.incrementAndGet(), Sleeper.SYSTEM, CLOCK);
        PostgresPollerLock lock = PostgresPollerLock.of(url, Optional.of(new Secret(PostgresServer.PASSWORD)));
        WindowPlanner planner = new WindowPlanner(10, 2, CursorApi.MAX_WINDOW_DAYS);
        // every source every second: a replica that polls keeps calling, so one that stopped shows
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, Duration.ofSeconds(1));
        }
        List<AccountSync> syncs = new CopyOnWriteArrayList<>();
        AccountPoller poller = new AccountPoller("default", lock, () -> {
            AccountSync sync = new AccountSync("default", client, store, planner, intervals, CLOCK, () -> { });
            syncs.add(sync);
            return sync;
        }, CHECK);
        return new Replica(poller, calls, lock, syncs);
    }

    @Test
    void oneReplicaPollsAndALostLockStopsItsSync() throws Exception {
        String url = PostgresServer.get().freshDatabase();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(4).days(12).seed(5).live(false)
                .clock(CLOCK).rateLimits(false).build());
             SqliteStore store = SqliteStore.openPostgres(url, Optional.of(new Secret(PostgresServer.PASSWORD)))) {
            Replica a = replica(url, sim, store);
            Replica b = replica(url, sim, store);
            try {
                a.poller().start();
                b.poller().start();
                assertTrue(a.poller().polling(), "the first to try polls");
                assertFalse(b.poller().polling(), "the other stands by");
                Http.await(Duration.ofSeconds(30), "a's first polls", () -> store.sourceStates("default").size() >= 4);
                Thread.sleep(3 * CHECK.toMillis());
                assertFalse(b.poller().polling(), "still only one poller after several checks");
                assertEquals(0, b.calls().get(), "the replica that stands by never calls Cursor");

                // a's session ends on the server (its network failed, say): a stops polling at its next check;
                // then whichever replica tries first polls (b, or a again with a fresh sync)
                assertEquals(1, a.syncs().size());
                assertEquals(1, terminateLockSessions(url));
                assertTrue(a.syncs().get(0).awaitStop(Duration.ofSeconds(10)), "a's sync stopped when its lock was lost");
                Http.await(Duration.ofSeconds(10), "a poller again", () -> a.poller().polling() || b.poller().polling());
                Thread.sleep(3 * CHECK.toMillis());
                assertTrue(a.poller().polling() ^ b.poller().polling(), "exactly one polls");
                Replica now = b.poller().polling() ? b : a;
                Replica idle = now == a ? b : a;
                if (now == a) {
                    assertEquals(2, a.syncs().size(), "a polls again with a new sync, not the stopped one");
                }
                int nowCalls = now.calls().get();
                int idleCalls = idle.calls().get();
                Thread.sleep(2000); // two polling intervals
                assertTrue(now.calls().get() > nowCalls, "the poller calls Cursor");
                assertEquals(idleCalls, idle.calls().get(), "the other calls Cursor no more");
            } finally {
                for (Replica r : new Replica[] {a, b}) {
                    r.poller().requestStop();
                    r.poller().awaitStop(Duration.ofSeconds(10));
                    r.lock().close();
                }
            }
        }
    }

    @Test
    void aSoleProcessPollsAtOnce() {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(3).days(5).seed(6).live(false)
                .clock(CLOCK).rateLimits(false).build());
             SqliteStore store = SqliteStore.open(dir)) {
            CursorClient client = new CursorClient(sim.baseUrl(), new Secret(sim.apiKey()), ClientSettings.defaults(),
                    (e, c) -> { }, Sleeper.SYSTEM, CLOCK);
            AccountPoller poller = new AccountPoller("default", PollerLock.SOLE,
                    () -> new AccountSync("default", client, store, new WindowPlanner(5, 2, CursorApi.MAX_WINDOW_DAYS),
                            Map.of(), CLOCK, () -> { }), Duration.ofHours(1));
            poller.start();
            assertTrue(poller.polling(), "polling as start returns, before any check interval");
            Http.await(Duration.ofSeconds(30), "its first polls", () -> !store.sourceStates("default").isEmpty());
            poller.requestStop();
            assertTrue(poller.awaitStop(Duration.ofSeconds(10)));
        }
    }

    /** Ends the lock sessions on the server; returns how many held an advisory lock. */
    private static int terminateLockSessions(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid)) FROM pg_stat_activity a
                     WHERE a.application_name = 'cursor-exporter poller lock' AND a.datname = current_database()
                       AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory')""")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
