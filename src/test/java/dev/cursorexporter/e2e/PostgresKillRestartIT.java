package dev.cursorexporter.e2e;

import dev.cursorexporter.testing.PostgresServer;

import java.util.Map;

/**
 * {@link KillRestartIT} on the PostgreSQL store: the built jar killed with SIGKILL twice mid-backfill and restarted on
 * the same database ends with exact totals and fetches no committed window again. Crash consistency is part of the
 * store's contract on both databases; on PostgreSQL a killed exporter's open transaction is rolled back by the server
 * when its connection drops, and the staged window it leaves is discarded by the account's next window.
 */
class PostgresKillRestartIT extends KillRestartIT {
    private final String url = PostgresServer.get().freshDatabase();

    @Override
    void store(Map<String, String> environment) {
        environment.put("CURSOR_EXPORTER_STORE_URL", url);
        environment.put("CURSOR_EXPORTER_STORE_PASSWORD", PostgresServer.PASSWORD);
    }
}
