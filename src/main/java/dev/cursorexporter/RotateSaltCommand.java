package dev.cursorexporter;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.DataDirLock;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.store.StoredSalt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code rotate-user-label-salt}: replaces the hash user label's salt kept in the store with a new random one, on
 * the configured store (the same configuration as {@code serve}), while no exporter runs on it. A command rather
 * than a setting because a rotation is a one-off decision: a setting left in place would rotate at every restart and
 * break the pseudonyms' stability, which is the point of keeping the salt. Prints what it did, never the salt.
 * Exit codes as {@link Main}'s: 0 done, 1 invalid configuration, 2 usage error, 3 the store could not be changed.
 */
@Command(name = RotateSaltCommand.NAME, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Replace the salt of CURSOR_EXPORTER_USER_LABEL=hash kept in the store (CURSOR_EXPORTER_DATA_DIR "
                + "or CURSOR_EXPORTER_STORE_URL) with a new random one. Every user label's pseudonym changes at the next "
                + "start: Prometheus then has new series for the same members. Stop every exporter on the store first.",
                "A configured CURSOR_EXPORTER_USER_LABEL_SALT / metrics.user_label_salt wins over the stored salt."})
final class RotateSaltCommand implements Callable<Integer> {
    static final String NAME = "rotate-user-label-salt";

    private final CommandContext context;

    @ParentCommand
    Main parent;

    @Mixin
    ConfigOptions options;

    RotateSaltCommand(CommandContext context) {
        this.context = context;
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
        // the lock refuses while an exporter runs on this data directory, which would keep the old salt in memory
        try (DataDirLock lock = DataDirLock.acquire(config.store().dataDir());
             SqliteStore store = App.openStore(config)) {
            boolean had = store.userLabelSalts().current().isPresent();
            StoredSalt salt = store.userLabelSalts().replace(new UserLabelSalt(new SecureRandom()).generate());
            out.println((had ? "replaced the user-label salt kept in the " : "stored a new user-label salt in the ")
                    + store.kind() + " store (" + salt.createdAt() + "): hash-mode pseudonyms change at the next start");
            if (config.metrics().userLabel() != UserLabelMode.HASH) {
                out.println("note: the user label is " + config.metrics().userLabel().name().toLowerCase(Locale.ROOT)
                        + ", not hash; the stored salt is used once it is hash");
            } else if (config.metrics().userLabelSalt().isPresent()) {
                out.println("note: a salt is configured (CURSOR_EXPORTER_USER_LABEL_SALT / metrics.user_label_salt) "
                        + "and wins; the stored salt is used once it is removed");
            }
            return 0;
        } catch (RuntimeException e) {
            err.println(NAME + " failed: " + e.getMessage());
            return Main.FAILED_TO_START;
        }
    }
}
