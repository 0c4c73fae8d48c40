package dev.cursorexporter.store;

/** {@link UserLabelSaltContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresUserLabelSaltContractTest extends UserLabelSaltContract {
    private final PostgresStores.Fresh database = new PostgresStores.Fresh();

    @Override
    protected SqliteStore openStore() {
        return database.open();
    }
}
