package dev.cursorexporter.store;

/** {@link EnterpriseContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresEnterpriseContractTest extends EnterpriseContract {
    private final PostgresStores.Fresh database = new PostgresStores.Fresh();

    @Override
    protected SqliteStore openStore() {
        return database.open();
    }
}
