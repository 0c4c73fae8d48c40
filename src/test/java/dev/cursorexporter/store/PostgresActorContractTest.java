package dev.cursorexporter.store;

/** {@link ActorContract} on a real PostgreSQL server (a throw-away one, {@link dev.cursorexporter.testing.PostgresServer}). */
class PostgresActorContractTest extends ActorContract {
    private String url;

    @Override
    protected SqliteStore openStore() {
        if (url == null) {
            url = PostgresStores.freshDatabase();
        }
        return PostgresStores.open(url);
    }
}
