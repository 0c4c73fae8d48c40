package dev.cursorexporter.store;

/** {@link OtelContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresOtelContractTest extends OtelContract {
    private String url;

    @Override
    protected SqliteStore openStore() {
        if (url == null) {
            url = PostgresStores.freshDatabase();
        }
        return PostgresStores.open(url);
    }
}
