package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.testing.PostgresServer;

import java.util.Optional;

/** Stores on the tests' PostgreSQL server: each on a database of its own, copied from one migrated once. */
final class PostgresStores {
    private static String migrated;

    private PostgresStores() {
    }

    /** The URL of a new database, migrated to the latest version and otherwise empty. */
    static synchronized String freshDatabase() {
        PostgresServer server = PostgresServer.get();
        if (migrated == null) {
            String template = server.freshDatabase();
            open(template).close();
            migrated = template;
        }
        return server.copyOf(migrated);
    }

    /** One fresh database per test (JUnit makes a test instance per test), opened again by every call. */
    static final class Fresh {
        private String url;

        SqliteStore open() {
            if (url == null) {
                url = freshDatabase();
            }
            return PostgresStores.open(url);
        }
    }

    static SqliteStore open(String url) {
        return SqliteStore.openPostgres(url, Optional.of(new Secret(PostgresServer.PASSWORD)));
    }
}
