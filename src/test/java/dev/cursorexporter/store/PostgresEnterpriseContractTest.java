package dev.cursorexporter.store;

/** {@link EnterpriseContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresEnterpriseContractTest extends EnterpriseContract {
    private String url;

    @Override
    protected SqliteStore openStore() {
        if (url == null) {
            url = PostgresStores.freshDatabase();
        }
        return PostgresStores.open(url);
    }
}
