package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Copies a whole SQLite store into a PostgreSQL database ({@code migrate-store}, issue 15): every table of the schema
 * both have after their migrations, row by row, whatever tables a later release adds, then checks the copy by totals.
 *
 * <p>Order of work: the source's data directory is locked ({@link DataDirLock}, so no exporter writes it meanwhile);
 * the source is opened (and upgraded to this release's schema, as starting the exporter would), the target connected
 * and migrated to the same version; both schemas must then have the same tables and columns. A target that holds
 * more than its migrations put in it is refused unless {@link Options#replace()}. The copy is one transaction on the
 * target (all or nothing: a failed copy leaves it as empty as it was), sent in batches; the target's own triggers are
 * off during the copy, because the rows they maintain (running totals) are copied as they are. Identity columns'
 * sequences are moved past the copied ids. Last, per table, the row count, the sum of every money, token and
 * request column, and the sum of its other integer columns (epoch milliseconds aside) must be equal on both sides.
 */
public final class SqliteToPostgres {

    /** Flyway's own table: each side keeps the history of its own migrations. */
    private static final String HISTORY = "flyway_schema_history";
    /**
     * The columns whose sums are compared: money (micro-cents, micro-dollars, micro-USD), tokens (the usage rollups'
     * {@code *_tokens}, the OTLP receiver's {@code input}/{@code output}/{@code cache_*}), requests and event
     * multiplicities, and the OTLP counters' values.
     */
    private static final Pattern AMOUNT = Pattern.compile(
            "(.*_ucents|.*_udollars|micro_usd|.*_tokens|input|output|cache_read|cache_write|requests|multiplicity"
                    + "|value)");

    /** The measure summing a table's other integer columns. */
    static final String OTHERS = "other integers";

    /**
     * What to copy where.
     *
     * @param sourceFile the SQLite store ({@code cursor-exporter.db}); its directory is the data directory locked
     * @param targetUrl  a {@code jdbc:postgresql://} URL without a password
     * @param password   the target's password (never shown)
     * @param replace    delete what the target holds instead of refusing it
     * @param batchSize  rows per batch sent to the target
     */
    public record Options(Path sourceFile, String targetUrl, Optional<Secret> password, boolean replace,
                          int batchSize) {
        public Options {
            Objects.requireNonNull(sourceFile, "sourceFile");
            Objects.requireNonNull(targetUrl, "targetUrl");
            Objects.requireNonNull(password, "password");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
            }
        }
    }

    /** One compared figure: a table's row count ({@code measure = "rows"}) or the sum of one of its columns. */
    public record Check(String table, String measure, BigDecimal source, BigDecimal target) {
        public boolean equal() {
            return source.compareTo(target) == 0;
        }
    }

    /** What was copied and how it compared. */
    public record Result(String schemaVersion, long rowsCopied, List<Check> checks) {
        public Result {
            checks = List.copyOf(checks);
        }

        public boolean verified() {
            return checks.stream().allMatch(Check::equal);
        }

        public List<Check> mismatches() {
            return checks.stream().filter(c -> !c.equal()).toList();
        }
    }

    /** Runs on the target after the copy has committed and before the totals are compared; a seam for tests. */
    @FunctionalInterface
    public interface AfterCopy {
        void run(Connection target) throws SQLException;
    }

    /** How a target column's values are bound. */
    private enum Kind { INTEGER, TEXT, BYTES, DECIMAL, BOOLEAN }

    private record Column(String name, Kind kind) {
    }

    private record Table(String name, List<Column> columns, List<String> identities, boolean triggers) {
    }

    private final Options options;
    private final PrintStream out;
    private final AfterCopy afterCopy;

    public SqliteToPostgres(Options options, PrintStream out) {
        this(options, out, target -> { });
    }

    /** With {@code afterCopy} run between the copy and the comparison (tests: a row lost in the target). */
    public SqliteToPostgres(Options options, PrintStream out, AfterCopy afterCopy) {
        this.options = Objects.requireNonNull(options, "options");
        this.out = Objects.requireNonNull(out, "out");
        this.afterCopy = Objects.requireNonNull(afterCopy, "afterCopy");
    }

    /**
     * Copies and verifies.
     *
     * @throws StoreException when the source is locked, missing or unreadable, the target cannot be reached or holds
     *                        a store (without {@link Options#replace()}), the schemas differ, or the copy fails
     */
    public Result run() {
        Path file = options.sourceFile().toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new StoreException("there is no SQLite store at " + file, null);
        }
        Path dataDir = file.getParent();
        try (DataDirLock lock = DataDirLock.acquire(dataDir);
             SqliteDatabase source = SqliteDatabase.open(SqliteDatabase.URL_PREFIX + file);
             PostgresDatabase target = PostgresDatabase.open(batched(options.targetUrl()), options.password())) {
            String version = sameVersion(source, target);
            List<Table> tables = sameTables(source, target);
            out.println("source: " + file + " (schema version " + version + ", " + tables.size() + " tables)");
            out.println("target: " + target + " (migrated to the same version)");
            refuseUnlessEmpty(target, tables);
            long copied = copy(source, target, tables);
            target.read(c -> {
                afterCopy.run(c);
                return null;
            });
            Result result = new Result(version, copied, compare(source, target, tables));
            print(result);
            return result;
        }
    }

    /** The driver sends each batch as multi-row INSERTs (several times faster than one statement per row). */
    private static String batched(String url) {
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    private static String sameVersion(SqliteDatabase source, PostgresDatabase target) {
        String from = source.read(SqliteToPostgres::version);
        String to = target.read(SqliteToPostgres::version);
        if (!from.equals(to)) {
            throw new StoreException("the source's schema is at version " + from + " and the target's at " + to
                    + ": run migrate-store of the release that wrote the newer one", null);
        }
        return from;
    }

    private static String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT version FROM " + HISTORY + " WHERE success AND version IS NOT NULL "
                        + "ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : "none";
        }
    }

    // ---- schema ---------------------------------------------------------------------------------------------

    /** The target's tables, checked to be the source's with the same columns. */
    private static List<Table> sameTables(SqliteDatabase source, PostgresDatabase target) {
        Map<String, List<String>> sourceColumns = source.read(SqliteToPostgres::sqliteColumns);
        List<Table> tables = target.read(SqliteToPostgres::postgresTables);
        Map<String, List<String>> targetColumns = new TreeMap<>();
        tables.forEach(t -> targetColumns.put(t.name(), t.columns().stream().map(Column::name).toList()));
        List<String> problems = new ArrayList<>();
        for (String t : sourceColumns.keySet()) {
            if (!targetColumns.containsKey(t)) {
                problems.add("table " + t + " is only in the source");
            } else if (!sorted(sourceColumns.get(t)).equals(sorted(targetColumns.get(t)))) {
                problems.add("table " + t + " has columns " + sorted(sourceColumns.get(t)) + " in the source and "
                        + sorted(targetColumns.get(t)) + " in the target");
            }
        }
        targetColumns.keySet().stream().filter(t -> !sourceColumns.containsKey(t))
                .forEach(t -> problems.add("table " + t + " is only in the target"));
        if (!problems.isEmpty()) {
            throw new StoreException("the two schemas differ after migrating both: " + String.join("; ", problems),
                    null);
        }
        return tables;
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    private static Map<String, List<String>> sqliteColumns(Connection c) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                        + "AND name <> '" + HISTORY + "' ORDER BY name")) {
            while (rs.next()) {
                tables.put(rs.getString(1).toLowerCase(Locale.ROOT), new ArrayList<>());
            }
        }
        for (Map.Entry<String, List<String>> t : tables.entrySet()) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('" + t.getKey() + "')")) {
                while (rs.next()) {
                    t.getValue().add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }

    private static List<Table> postgresTables(Connection c) throws SQLException {
        Map<String, List<Column>> columns = new TreeMap<>();
        Map<String, List<String>> identities = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT c.table_name, c.column_name, c.data_type, c.is_identity, c.column_default
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                ORDER BY c.table_name, c.ordinal_position""")) {
            while (rs.next()) {
                String table = rs.getString(1);
                if (table.equals(HISTORY)) {
                    continue;
                }
                String column = rs.getString(2);
                columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new Column(column,
                        kind(table, column, rs.getString(3))));
                String defaultValue = rs.getString(5);
                if ("YES".equals(rs.getString(4)) || (defaultValue != null && defaultValue.startsWith("nextval("))) {
                    identities.computeIfAbsent(table, t -> new ArrayList<>()).add(column);
                }
            }
        }
        List<String> withTriggers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT DISTINCT cl.relname FROM pg_trigger tg
                JOIN pg_class cl ON cl.oid = tg.tgrelid
                WHERE NOT tg.tgisinternal AND cl.relnamespace = current_schema()::regnamespace""")) {
            while (rs.next()) {
                withTriggers.add(rs.getString(1));
            }
        }
        List<Table> tables = new ArrayList<>();
        columns.forEach((name, cols) -> tables.add(new Table(name, List.copyOf(cols),
                List.copyOf(identities.getOrDefault(name, List.of())), withTriggers.contains(name))));
        return tables;
    }

    private static Kind kind(String table, String column, String dataType) {
        return switch (dataType) {
            case "bigint", "integer", "smallint" -> Kind.INTEGER;
            case "text", "character varying", "character" -> Kind.TEXT;
            case "bytea" -> Kind.BYTES;
            case "numeric", "double precision", "real" -> Kind.DECIMAL;
            case "boolean" -> Kind.BOOLEAN;
            default -> throw new StoreException("column " + table + "." + column + " has the type " + dataType
                    + ", which migrate-store does not copy yet", null);
        };
    }

    // ---- emptiness --------------------------------------------------------------------------------------------

    /**
     * A target holds a store when some table has more rows than the migrations alone put in (they seed a few rows,
     * e.g. the directory version). Those seeds are counted on a scratch SQLite database migrated to the same version:
     * both dialects' scripts insert the same rows.
     */
    private void refuseUnlessEmpty(PostgresDatabase target, List<Table> tables) {
        Map<String, Long> seeded = seededRows();
        Map<String, Long> held = counts(target, tables);
        List<String> beyond = held.entrySet().stream()
                .filter(e -> e.getValue() > seeded.getOrDefault(e.getKey(), 0L))
                .map(e -> e.getKey() + " " + e.getValue() + " rows").toList();
        if (beyond.isEmpty()) {
            return;
        }
        String what = beyond.size() > 4 ? String.join(", ", beyond.subList(0, 4)) + ", …" : String.join(", ", beyond);
        if (!options.replace()) {
            throw new StoreException("the target " + target + " already holds a store (" + what + "): point "
                    + "CURSOR_EXPORTER_STORE_URL at an empty database, or run migrate-store --replace to delete what "
                    + "it holds and copy again", null);
        }
        out.println("target holds a store (" + what + "): --replace, so it is emptied first");
    }

    private static Map<String, Long> seededRows() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("cursor-exporter-seed-");
            try (SqliteDatabase scratch = SqliteDatabase.open(SqliteDatabase.URL_PREFIX + dir.resolve("seed.db"))) {
                Map<String, List<String>> tables = scratch.read(SqliteToPostgres::sqliteColumns);
                Map<String, Long> rows = new TreeMap<>();
                scratch.read(c -> {
                    for (String t : tables.keySet()) {
                        rows.put(t, count(c, t));
                    }
                    return null;
                });
                return rows;
            }
        } catch (IOException e) {
            throw new StoreException("cannot make a scratch database to count the migrations' own rows: " + e, e);
        } finally {
            deleteScratch(dir);
        }
    }

    private static void deleteScratch(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a few KiB left in the temporary directory
        }
    }

    private static Map<String, Long> counts(Database db, List<Table> tables) {
        return db.read(c -> {
            Map<String, Long> rows = new TreeMap<>();
            for (Table t : tables) {
                rows.put(t.name(), count(c, t.name()));
            }
            return rows;
        });
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- copy -----------------------------------------------------------------------------------------------

    private long copy(SqliteDatabase source, PostgresDatabase target, List<Table> tables) {
        long started = System.nanoTime();
        long total = target.write(t -> {
            try (Statement s = t.createStatement()) {
                // the migrations' seed rows (or, with --replace, the old store) make way for the source's
                s.execute("TRUNCATE TABLE " + tables.stream().map(x -> quote(x.name())).collect(Collectors.joining(
                        ", ")));
                for (Table table : tables) {
                    if (table.triggers()) {
                        s.execute("ALTER TABLE " + quote(table.name()) + " DISABLE TRIGGER USER");
                    }
                }
            }
            long rows = 0;
            for (Table table : tables) {
                long n = source.read(c -> copyTable(c, t, table));
                out.printf(Locale.ROOT, "copied %-28s %,12d rows%n", table.name(), n);
                rows += n;
            }
            try (Statement s = t.createStatement()) {
                for (Table table : tables) {
                    for (String column : table.identities()) {
                        // the next id the target hands out follows the copied ones
                        s.execute("SELECT setval(pg_get_serial_sequence('" + table.name() + "', '" + column
                                + "'), COALESCE(MAX(" + quote(column) + "), 0) + 1, false) FROM "
                                + quote(table.name()));
                    }
                    if (table.triggers()) {
                        s.execute("ALTER TABLE " + quote(table.name()) + " ENABLE TRIGGER USER");
                    }
                }
            }
            return rows;
        });
        out.printf(Locale.ROOT, "copied %,d rows in one transaction in %.1f s%n", total,
                (System.nanoTime() - started) / 1e9);
        return total;
    }

    private long copyTable(Connection from, Connection to, Table table) throws SQLException {
        String names = table.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String marks = table.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        String insert = "INSERT INTO " + quote(table.name()) + " (" + names + ")"
                + (table.identities().isEmpty() ? "" : " OVERRIDING SYSTEM VALUE") + " VALUES (" + marks + ")";
        long rows = 0;
        try (Statement read = from.createStatement();
             ResultSet rs = read.executeQuery("SELECT " + names + " FROM " + quote(table.name()));
             PreparedStatement write = to.prepareStatement(insert)) {
            int pending = 0;
            while (rs.next()) {
                for (int i = 0; i < table.columns().size(); i++) {
                    bind(write, i + 1, table, table.columns().get(i), rs.getObject(i + 1));
                }
                write.addBatch();
                rows++;
                if (++pending == options.batchSize()) {
                    write.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        return rows;
    }

    private static void bind(PreparedStatement ps, int index, Table table, Column column, Object value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, switch (column.kind()) {
                case INTEGER -> Types.BIGINT;
                case TEXT -> Types.VARCHAR;
                case BYTES -> Types.BINARY;
                case DECIMAL -> Types.NUMERIC;
                case BOOLEAN -> Types.BOOLEAN;
            });
            return;
        }
        switch (column.kind()) {
            case INTEGER -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    throw unexpected(table, column, value);
                }
                ps.setLong(index, ((Number) value).longValue());
            }
            case TEXT -> {
                if (value instanceof byte[]) {
                    throw unexpected(table, column, value);
                }
                ps.setString(index, value.toString());
            }
            case BYTES -> {
                if (!(value instanceof byte[] bytes)) {
                    throw unexpected(table, column, value);
                }
                ps.setBytes(index, bytes);
            }
            case DECIMAL -> ps.setBigDecimal(index, new BigDecimal(value.toString()));
            case BOOLEAN -> ps.setBoolean(index, value instanceof Number n ? n.longValue() != 0
                    : Boolean.parseBoolean(value.toString()));
        }
    }

    private static SQLException unexpected(Table table, Column column, Object value) {
        // the value itself is left out: it is stored data, not configuration
        return new SQLException("a row of " + table.name() + " has a " + value.getClass().getSimpleName() + " in "
                + column.name() + ", which is " + column.kind().name().toLowerCase(Locale.ROOT) + " in PostgreSQL");
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    // ---- verification ---------------------------------------------------------------------------------------

    private static List<Check> compare(SqliteDatabase source, PostgresDatabase target, List<Table> tables) {
        Map<String, BigDecimal> from = measure(source, tables);
        Map<String, BigDecimal> to = measure(target, tables);
        List<Check> checks = new ArrayList<>();
        from.forEach((key, value) -> {
            int dot = key.indexOf(' ');
            checks.add(new Check(key.substring(0, dot), key.substring(dot + 1), value, to.get(key)));
        });
        return checks;
    }

    /** Per table "name rows" → count and "name column" → SUM(column) for the amount columns. */
    private static Map<String, BigDecimal> measure(Database db, List<Table> tables) {
        return db.read(c -> {
            Map<String, BigDecimal> figures = new LinkedHashMap<>();
            for (Table t : tables) {
                List<String> amounts = t.columns().stream()
                        .filter(col -> col.kind() == Kind.INTEGER && AMOUNT.matcher(col.name()).matches())
                        .map(Column::name).toList();
                // the remaining counters (lines, tabs, feature requests, days, flags) in one figure per table;
                // epoch milliseconds are left out, a million of them would overflow SQLite's integer SUM
                List<String> others = t.columns().stream()
                        .filter(col -> col.kind() == Kind.INTEGER && !AMOUNT.matcher(col.name()).matches()
                                && !col.name().endsWith("_ms"))
                        .map(Column::name).toList();
                StringBuilder sql = new StringBuilder("SELECT COUNT(*)");
                amounts.forEach(a -> sql.append(", SUM(").append(quote(a)).append(")"));
                if (!others.isEmpty()) {
                    sql.append(", SUM(").append(others.stream().map(o -> "COALESCE(" + quote(o) + ", 0)")
                            .collect(Collectors.joining(" + "))).append(")");
                }
                sql.append(" FROM ").append(quote(t.name()));
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
                    rs.next();
                    figures.put(t.name() + " rows", new BigDecimal(rs.getString(1)));
                    for (int i = 0; i < amounts.size(); i++) {
                        String sum = rs.getString(i + 2);
                        figures.put(t.name() + " " + amounts.get(i), sum == null ? BigDecimal.ZERO : new BigDecimal(sum));
                    }
                    if (!others.isEmpty()) {
                        String sum = rs.getString(amounts.size() + 2);
                        figures.put(t.name() + " " + OTHERS, sum == null ? BigDecimal.ZERO : new BigDecimal(sum));
                    }
                }
            }
            return figures;
        });
    }

    private void print(Result result) {
        out.println();
        out.printf(Locale.ROOT, "%-28s %-20s %22s %22s  %s%n", "table", "measure", "sqlite", "postgresql", "");
        for (Check c : result.checks()) {
            out.printf(Locale.ROOT, "%-28s %-20s %22s %22s  %s%n", c.table(), c.measure(),
                    c.source().toPlainString(), c.target().toPlainString(), c.equal() ? "ok" : "MISMATCH");
        }
        out.println();
        if (result.verified()) {
            out.printf(Locale.ROOT, "verified: %d figures equal in %d tables (schema version %s)%n",
                    result.checks().size(), result.checks().stream().map(Check::table).distinct().count(),
                    result.schemaVersion());
        } else {
            out.printf(Locale.ROOT, "MISMATCH: %d of %d figures differ (%s)%n", result.mismatches().size(),
                    result.checks().size(), result.mismatches().stream().map(c -> c.table() + " " + c.measure())
                            .collect(Collectors.joining(", ")));
        }
    }
}
