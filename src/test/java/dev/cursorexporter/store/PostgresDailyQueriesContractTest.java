package dev.cursorexporter.store;

/** {@link DailyQueriesContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresDailyQueriesContractTest extends DailyQueriesContract {
    private String url;

    @Override
    protected SqliteStore openStore() {
        if (url == null) {
            url = PostgresStores.freshDatabase();
        }
        return PostgresStores.open(url);
    }
}
