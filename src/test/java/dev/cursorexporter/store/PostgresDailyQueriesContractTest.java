package dev.cursorexporter.store;

/** {@link DailyQueriesContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresDailyQueriesContractTest extends DailyQueriesContract {
    private final PostgresStores.Fresh database = new PostgresStores.Fresh();

    @Override
    protected SqliteStore openStore() {
        return database.open();
    }
}
