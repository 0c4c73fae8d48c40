package dev.cursorexporter.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link EventWindowContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresEventWindowContractTest extends EventWindowContract {
    private final PostgresStores.Fresh database = new PostgresStores.Fresh();

    @Override
    protected SqliteStore openStore() {
        return database.open();
    }

    /**
     * Several replicas share the database: one starting while the poller fetches a window must leave that window
     * alone (opening discards nothing here; the account's next window discards what a dead poller left).
     */
    @Test
    void aReplicaStartingDoesNotDiscardThePollersOpenWindow() {
        EventWindow fetching = store.openEventWindow(ACME, D1, D1);
        fetching.add(List.of(event(at(D1, 1, 0, 0, 0), "a@x.io", "m", "1")));
        try (SqliteStore other = openStore()) {
            assertEquals(2, other.stagedEventRows());
        }
        fetching.commit(true);
        assertEquals(Set.of(D1), store.coveredDays(ACME, dev.cursorexporter.model.Source.USAGE_EVENTS));
    }
}
