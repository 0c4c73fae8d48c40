package dev.cursorexporter.store;

/** {@link EventWindowContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresEventWindowContractTest extends EventWindowContract {
    private String url;

    @Override
    protected SqliteStore openStore() {
        if (url == null) {
            url = PostgresStores.freshDatabase();
        }
        return PostgresStores.open(url);
    }
}
