package dev.cursorexporter;

import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.store.SqliteToPostgres;
import dev.cursorexporter.store.StoreException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code migrate-store}: copies the SQLite store into the PostgreSQL database the configuration names
 * ({@code CURSOR_EXPORTER_STORE_URL} and its password), then compares the totals ({@link SqliteToPostgres}).
 * Exit codes as {@link Main}'s: 0 copied and verified, 1 invalid configuration, 2 usage error, 3 refused or failed
 * (source in use, target not empty, unreachable, a figure differs after the copy).
 */
public final class MigrateStoreCommand {
    static final String USAGE = """
            usage: java -jar cursor-exporter.jar migrate-store [--from DATA_DIR | --from jdbc:sqlite:FILE] [--replace]
                                                               [--batch-size N]
              Copies everything in an SQLite store into the PostgreSQL database named by CURSOR_EXPORTER_STORE_URL
              (jdbc:postgresql://…, password from CURSOR_EXPORTER_STORE_PASSWORD or CURSOR_EXPORTER_STORE_PASSWORD_FILE,
              or the YAML's store.url / store.password), after migrating it to the same schema version, and checks
              per table that the row counts, the sums of the money, token and request columns and the sum of the
              other integer columns are equal.
              Stop the exporter first: a data directory in use is refused.

              --from DIR|URL   the SQLite store: a data directory (its cursor-exporter.db) or a jdbc:sqlite: URL;
                               default: CURSOR_EXPORTER_DATA_DIR (or store.data_dir, default ./data)
              --replace        delete whatever the target database holds before copying (without it, a target
                               that holds a store is refused)
              --batch-size N   rows per batch sent to PostgreSQL (default 1000)
              --help           this text
            exit codes: 0 copied and verified, 1 invalid configuration, 2 usage error,
                        3 refused or failed (source in use, target not empty, a figure differs)
            """;
    private static final int DEFAULT_BATCH = 1000;

    private MigrateStoreCommand() {
    }

    /** Runs the command with {@code args} (after {@code migrate-store}) and the configuration in {@code env}. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, target -> { });
    }

    /** With a seam between the copy and the comparison, for tests. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                   SqliteToPostgres.AfterCopy afterCopy) {
        String from = null;
        boolean replace = false;
        int batch = DEFAULT_BATCH;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--replace" -> replace = true;
                case "--from", "--batch-size" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, args[i] + " needs a value");
                    }
                    String value = args[++i];
                    if (args[i - 1].equals("--from")) {
                        from = value;
                    } else {
                        try {
                            batch = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            batch = 0;
                        }
                        if (batch < 1 || batch > 100_000) {
                            return usage(err, "--batch-size must be a whole number from 1 to 100000, not '" + value
                                    + "'");
                        }
                    }
                }
                default -> {
                    return usage(err, "unknown option '" + args[i] + "'");
                }
            }
        }
        ExporterConfig config;
        try {
            config = ConfigLoader.load(env);
        } catch (ConfigException e) {
            err.println("invalid configuration:");
            e.problems().forEach(p -> err.println("  " + p));
            return 1;
        }
        if (!config.store().postgresql()) {
            err.println("invalid configuration:");
            err.println("  CURSOR_EXPORTER_STORE_URL: migrate-store copies into PostgreSQL: set it (or store.url) to "
                    + "the target database, jdbc:postgresql://host:5432/database?user=…, with its password in "
                    + "CURSOR_EXPORTER_STORE_PASSWORD or CURSOR_EXPORTER_STORE_PASSWORD_FILE");
            return 1;
        }
        Path source;
        if (from == null) {
            source = config.store().dataDir().resolve(SqliteStore.FILE_NAME);
        } else if (from.startsWith("jdbc:sqlite:")) {
            String path = from.substring("jdbc:sqlite:".length());
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            source = Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path);
        } else if (from.startsWith("jdbc:")) {
            return usage(err, "--from takes a data directory or a jdbc:sqlite: URL, not '" + from + "'");
        } else {
            source = Path.of(from).resolve(SqliteStore.FILE_NAME);
        }
        SqliteToPostgres.Options options = new SqliteToPostgres.Options(source, config.store().url().orElseThrow(),
                config.store().password(), replace, batch);
        try {
            SqliteToPostgres.Result result = new SqliteToPostgres(options, out, afterCopy).run();
            if (!result.verified()) {
                err.println("migrate-store: the copy differs from the source (see the table above); do not start "
                        + "the exporter on it: find the cause, then run migrate-store --replace again");
                return 3;
            }
            return 0;
        } catch (StoreException | IllegalArgumentException e) {
            err.println("migrate-store: " + e.getMessage());
            return 3;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("migrate-store: " + problem);
        err.print(USAGE);
        return 2;
    }
}
