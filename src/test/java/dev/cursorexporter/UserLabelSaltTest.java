package dev.cursorexporter;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.MetricsConfig;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which salt the hash user label uses, on a real SQLite store reopened as a restart would. */
class UserLabelSaltTest {
    private static final String EMAIL = "ana@acme.com";

    @TempDir
    Path dir;

    private final UserLabelSalt salts = new UserLabelSalt(new SecureRandom());

    @Test
    void withoutAConfiguredSaltTheFirstStartGeneratesOneAndEveryRestartLabelsTheSame() {
        String first;
        try (SqliteStore store = SqliteStore.open(dir)) {
            first = label(salts.resolve(metrics(UserLabelMode.HASH, null), store.userLabelSalts()));
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(first, label(salts.resolve(metrics(UserLabelMode.HASH, null), store.userLabelSalts())));
        }
        assertTrue(first.matches("u_[0-9a-f]{16}"), first);
    }

    @Test
    void aConfiguredSaltWinsAndLeavesTheStoredOneForLater() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            String stored = label(salts.resolve(metrics(UserLabelMode.HASH, null), store.userLabelSalts()));
            Optional<Secret> configured = salts.resolve(metrics(UserLabelMode.HASH, "configured_SECRET"),
                    store.userLabelSalts());
            assertEquals(Optional.of(new Secret("configured_SECRET")), configured);
            assertNotEquals(stored, label(configured));
            assertEquals(stored, label(salts.resolve(metrics(UserLabelMode.HASH, null), store.userLabelSalts())),
                    "the configured salt removed: the stored pseudonyms again");
        }
    }

    @Test
    void otherModesNeitherUseNorStoreASalt() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(Optional.empty(), salts.resolve(metrics(UserLabelMode.EMAIL, "x_SECRET"), store.userLabelSalts()));
            assertEquals(Optional.empty(), salts.resolve(metrics(UserLabelMode.NONE, null), store.userLabelSalts()));
            assertEquals(Optional.empty(), store.userLabelSalts().current());
        }
    }

    @Test
    void aGeneratedSaltIs32RandomBytes() {
        Secret a = salts.generate();
        Secret b = salts.generate();
        assertEquals(32, Base64.getUrlDecoder().decode(a.reveal()).length);
        assertNotEquals(a.reveal(), b.reveal());
    }

    private static MetricsConfig metrics(UserLabelMode mode, String salt) {
        return new MetricsConfig(mode, Optional.ofNullable(salt).map(Secret::new),
                ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC, ExporterConfig.DEFAULT_MAX_USERS,
                ExporterConfig.DEFAULT_MAX_MODELS);
    }

    private static String label(Optional<Secret> salt) {
        return new UserLabeler(UserLabelMode.HASH, salt).label(EMAIL).orElseThrow();
    }
}
