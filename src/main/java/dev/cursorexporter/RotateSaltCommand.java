package dev.cursorexporter;

import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.DataDirLock;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.store.StoredSalt;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rotate-user-label-salt}: replaces the hash user label's salt kept in the store with a new random one, on
 * the configured store (the same configuration as {@code serve}), while no exporter runs on it. A command rather
 * than a setting because a rotation is a one-off decision: a setting left in place would rotate at every restart and
 * break the pseudonyms' stability, which is the point of keeping the salt. Prints what it did, never the salt.
 * Exit codes as {@link Main}'s: 0 done, 1 invalid configuration, 2 usage error, 3 the store could not be changed.
 */
final class RotateSaltCommand {
    static final String NAME = "rotate-user-label-salt";
    static final String USAGE = """
            usage: java -jar cursor-exporter.jar rotate-user-label-salt
              Replaces the salt of CURSOR_EXPORTER_USER_LABEL=hash kept in the store (CURSOR_EXPORTER_DATA_DIR or
              CURSOR_EXPORTER_STORE_URL) with a new random one. Every user label's pseudonym changes at the next
              start: Prometheus then has new series for the same members. Stop every exporter on the store first.
              A configured CURSOR_EXPORTER_USER_LABEL_SALT / metrics.user_label_salt wins over the stored salt.
            """;

    private RotateSaltCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (List.of(args).equals(List.of("--help")) || List.of(args).equals(List.of("-h"))) {
            out.print(USAGE);
            return 0;
        }
        if (args.length > 0) {
            err.println(NAME + ": unknown argument '" + args[0] + "'");
            err.print(USAGE);
            return 2;
        }
        ExporterConfig config;
        try {
            config = ConfigLoader.load(env);
        } catch (ConfigException e) {
            err.println("invalid configuration:");
            e.problems().forEach(p -> err.println("  " + p));
            return 1;
        }
        // the lock refuses while an exporter runs on this data directory, which would keep the old salt in memory
        try (DataDirLock lock = DataDirLock.acquire(config.store().dataDir());
             SqliteStore store = App.openStore(config)) {
            boolean had = store.userLabelSalts().current().isPresent();
            StoredSalt salt = store.userLabelSalts().replace(new UserLabelSalt(new SecureRandom()).generate());
            out.println((had ? "replaced the user-label salt kept in the " : "stored a new user-label salt in the ")
                    + store.kind() + " store (" + salt.createdAt() + "): hash-mode pseudonyms change at the next start");
            if (config.metrics().userLabel() != UserLabelMode.HASH) {
                out.println("note: the user label is " + config.metrics().userLabel().name().toLowerCase(Locale.ROOT) + ", not hash; the stored salt is used once it is hash");
            } else if (config.metrics().userLabelSalt().isPresent()) {
                out.println("note: a salt is configured (CURSOR_EXPORTER_USER_LABEL_SALT / metrics.user_label_salt) "
                        + "and wins; the stored salt is used once it is removed");
            }
            return 0;
        } catch (RuntimeException e) {
            err.println(NAME + " failed: " + e.getMessage());
            return 3;
        }
    }
}
