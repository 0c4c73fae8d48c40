package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.testing.PostgresServer;

import java.util.Optional;

/** {@link StoreContract} on a real PostgreSQL server (a throw-away one, {@link PostgresServer}). */
class PostgresStoreContractTest extends StoreContract {
    private String url;

    @Override
    protected SqliteStore openStore() {
        if (url == null) {
            url = PostgresServer.get().freshDatabase();
        }
        return SqliteStore.openPostgres(url, Optional.of(new Secret(PostgresServer.PASSWORD)));
    }
}
