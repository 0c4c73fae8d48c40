package dev.cursorexporter.store;

/** {@link OtelContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresOtelContractTest extends OtelContract {
    private final PostgresStores.Fresh database = new PostgresStores.Fresh();

    @Override
    protected SqliteStore openStore() {
        return database.open();
    }
}
