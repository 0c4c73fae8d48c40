package dev.cursorexporter.store;

/** {@link ActorContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresActorContractTest extends ActorContract {
    private final PostgresStores.Fresh database = new PostgresStores.Fresh();

    @Override
    protected SqliteStore openStore() {
        return database.open();
    }
}
