package dev.cursorexporter;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.store.SqliteToPostgres;
import dev.cursorexporter.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code migrate-store}: copies the SQLite store into the PostgreSQL database the configuration names
 * ({@code CURSOR_EXPORTER_STORE_URL} and its password), then compares the totals ({@link SqliteToPostgres}).
 * Exit codes as {@link Main}'s: 0 copied and verified, 1 invalid configuration, 2 usage error, 3 refused or failed
 * (source in use, target not empty, unreachable, a figure differs after the copy).
 */
@Command(name = "migrate-store", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Copy everything in an SQLite store into the PostgreSQL database named by "
                + "CURSOR_EXPORTER_STORE_URL (jdbc:postgresql://…, password from CURSOR_EXPORTER_STORE_PASSWORD or "
                + "CURSOR_EXPORTER_STORE_PASSWORD_FILE, or the YAML's store.url / store.password), after migrating it "
                + "to the same schema version, and check per table that the row counts, the sums of the money, token "
                + "and request columns and the sum of the other integer columns are equal.",
                "Stop the exporter first: a data directory in use is refused."},
        footer = {"", "Exit codes: 0 copied and verified, 1 invalid configuration, 2 usage error, "
                + "3 refused or failed (source in use, target not empty, a figure differs)."})
public final class MigrateStoreCommand implements Callable<Integer> {
    private static final int MAX_BATCH = 100_000;

    private final CommandContext context;
    /** Between the copy and the comparison; a seam for tests. */
    private final SqliteToPostgres.AfterCopy afterCopy;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Mixin
    ConfigOptions options;

    private String from;

    @Option(names = "--replace", description = "Delete whatever the target database holds before copying (without "
            + "it, a target that holds a store is refused).")
    boolean replace;

    private int batch = 1000;

    @Option(names = "--from", paramLabel = "DIR|URL", description = "The SQLite store: a data directory (its "
            + "cursor-exporter.db) or a jdbc:sqlite: URL; default: CURSOR_EXPORTER_DATA_DIR (or store.data_dir, "
            + "default ./data).")
    void from(String value) {
        if (value.startsWith("jdbc:") && !value.startsWith("jdbc:sqlite:")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--from takes a data directory or a jdbc:sqlite: URL, not '" + value + "'");
        }
        from = value;
    }

    MigrateStoreCommand(CommandContext context) {
        this(context, target -> { });
    }

    MigrateStoreCommand(CommandContext context, SqliteToPostgres.AfterCopy afterCopy) {
        this.context = context;
        this.afterCopy = afterCopy;
    }

    @Option(names = "--batch-size", paramLabel = "N", description = "Rows per batch sent to PostgreSQL (1 to "
            + MAX_BATCH + ", default 1000).")
    void batchSize(int value) {
        if (value < 1 || value > MAX_BATCH) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--batch-size must be a whole number from 1 to " + MAX_BATCH + ", not '" + value + "'");
        }
        batch = value;
    }

    /** The command with {@code args} (after {@code migrate-store}), without the rest of the command line. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, target -> { });
    }

    /** The command with {@code args} (after {@code migrate-store}) and a seam between copy and comparison. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                   SqliteToPostgres.AfterCopy afterCopy) {
        return new CommandLine(new MigrateStoreCommand(new CommandContext(env, out, err), afterCopy)).execute(args);
    }

    @Override
    public Integer call() {
        PrintStream out = context.out();
        PrintStream err = context.err();
        Optional<ExporterConfig> loaded = ConfigOptions.loadOrReport(context,
                ConfigOptions.merged(parent == null ? null : parent.options, options));
        if (loaded.isEmpty()) {
            return Main.INVALID_CONFIG;
        }
        ExporterConfig config = loaded.get();
        if (!config.store().postgresql()) {
            err.println("invalid configuration:");
            err.println("  CURSOR_EXPORTER_STORE_URL: migrate-store copies into PostgreSQL: set it (or store.url) to "
                    + "the target database, jdbc:postgresql://host:5432/database?user=…, with its password in "
                    + "CURSOR_EXPORTER_STORE_PASSWORD or CURSOR_EXPORTER_STORE_PASSWORD_FILE");
            return Main.INVALID_CONFIG;
        }
        Path source;
        if (from == null) {
            source = config.store().dataDir().resolve(SqliteStore.FILE_NAME);
        } else if (from.startsWith("jdbc:sqlite:")) {
            String path = from.substring("jdbc:sqlite:".length());
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            source = Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path);
        } else {
            source = Path.of(from).resolve(SqliteStore.FILE_NAME);
        }
        SqliteToPostgres.Options copy = new SqliteToPostgres.Options(source, config.store().url().orElseThrow(),
                config.store().password(), replace, batch);
        try {
            SqliteToPostgres.Result result = new SqliteToPostgres(copy, out, afterCopy).run();
            if (!result.verified()) {
                err.println("migrate-store: the copy differs from the source (see the table above); do not start "
                        + "the exporter on it: find the cause, then run migrate-store --replace again");
                return Main.FAILED_TO_START;
            }
            return 0;
        } catch (StoreException | IllegalArgumentException e) {
            err.println("migrate-store: " + e.getMessage());
            return Main.FAILED_TO_START;
        }
    }
}
