package dev.cursorexporter.store;

import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.dailyDetailed;
import static dev.cursorexporter.store.Fixtures.event;
import static dev.cursorexporter.store.Fixtures.newShapeSpend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link DailyQueriesContract} on an SQLite file. */
class SqliteDailyQueriesTest extends DailyQueriesContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }
}
