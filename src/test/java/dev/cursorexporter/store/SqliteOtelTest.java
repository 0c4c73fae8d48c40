package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.OtelLogRecord;
import dev.cursorexporter.model.OtelTokens;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OtelContract} on an SQLite file, and a store written before the daily cost, upgraded. */
class SqliteOtelTest extends OtelContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }

    @Test
    void aStoreFromBeforeTheDailyCostKeepsItsCountersAndStartsItsDaysAtTheUpgrade(@TempDir Path older)
            throws SQLException {
        String url = "jdbc:sqlite:" + older.resolve(SqliteStore.FILE_NAME);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("13").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO otel_counter (family, email, account_id, labels, value) VALUES"
                    + " ('cost', 'ana@acme.com', '', 'desktop' || char(31) || 'gpt-5', 4000000),"
                    + " ('tokens', 'ana@acme.com', '', 'desktop' || char(31) || 'gpt-5' || char(31) || 'input', 12)");
            s.executeUpdate("INSERT INTO otel_label_value (dimension, value) VALUES ('email', 'ana@acme.com'),"
                    + " ('surface', 'desktop'), ('model', 'gpt-5'), ('token_type', 'input')");
        }
        try (SqliteStore upgraded = SqliteStore.open(older)) {
            Map<String, Long> kept = new HashMap<>();
            upgraded.otel().counters(c -> kept.put(c.family().key() + "/" + String.join(",", c.labels()),
                    c.value()));
            assertEquals(Map.of("cost/desktop,gpt-5", 4_000_000L, "tokens/desktop,gpt-5,input", 12L), kept);
            assertEquals(java.util.Optional.empty(), upgraded.otel().newestCostDay());

            upgraded.otel().apply(new OtelBatch("metrics", List.of(cost(ANA, "gpt-5", 1_000_000, DAY)), List.of()),
                    T0);
            List<OtelDailyCost> days = new ArrayList<>();
            upgraded.otel().dailyCost(DAY.minusDays(400), DAY, days::add);
            assertEquals(List.of(new OtelDailyCost(DAY, new OtelIdentity("ana@acme.com", ""), 1_000_000)), days);
            Map<String, Long> after = new HashMap<>();
            upgraded.otel().counters(c -> after.put(c.family().key(), c.value()));
            assertEquals(5_000_000L, after.get("cost"), "the counter goes on from what it had");
        }
    }
}
