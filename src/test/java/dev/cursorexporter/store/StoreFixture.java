package dev.cursorexporter.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store a contract test runs against, whatever the database: opened on an empty database before each test
 * (before the contract's own set-up), closed after it; {@link #reopen()} opens the same database again, as a restart
 * would.
 */
abstract class StoreFixture {
    protected SqliteStore store;

    /** A store on an empty database; each call of one test opens the same database again. */
    protected abstract SqliteStore openStore();

    @BeforeEach
    final void openFixtureStore() {
        store = openStore();
    }

    @AfterEach
    final void closeFixtureStore() {
        store.close();
    }

    final void reopen() {
        store.close();
        store = openStore();
    }
}
