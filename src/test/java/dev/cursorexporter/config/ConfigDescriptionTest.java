package dev.cursorexporter.config;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.Source;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConfigDescriptionTest {
    private static final Map<Source, Duration> INTERVALS = Map.of(
            Source.MEMBERS, Duration.ofHours(1),
            Source.SPEND, Duration.ofMinutes(15),
            Source.DAILY_USAGE, Duration.ofMinutes(90),
            Source.USAGE_EVENTS, Duration.ofDays(1),
            Source.BILLING_GROUPS, Duration.ofHours(1),
            Source.ANALYTICS, Duration.ofHours(1),
            Source.AI_CODE, Duration.ofHours(1));

    @Test
    void liveConfigurationWithEverySecretSet() {
        ExporterConfig config = ExporterConfig.builder()
                .port(8080).authToken(Optional.of(new Secret("tok_SECRET")))
                .dataDir(Path.of("/data")).storeUrl(Optional.of("jdbc:sqlite:/data/x.db?password=pw_SECRET"))
                .backfillDays(90).lookbackDays(3).pollIntervals(INTERVALS)
                .accounts(List.of(
                        new AccountConfig("eu", new Secret("key_SECRET_eu"), URI.create("https://api.cursor.com")),
                        new AccountConfig("us", new Secret("key_SECRET_us"), URI.create("http://localhost:8081"))))
                .directoryFile(Optional.of(Path.of("people.csv")))
                .userLabel(UserLabelMode.HASH).userLabelSalt(Optional.of(new Secret("salt_SECRET")))
                .otlp(new OtlpConfig(4319, Optional.of(new Secret("otlp_SECRET")), 1L << 20, Duration.ofMinutes(45)))
                .build();

        String description = ConfigDescription.describe(config);

        assertEquals("""
                mode: live (2 Cursor accounts)
                account eu: https://api.cursor.com, API key ***
                account us: http://localhost:8081, API key ***
                listen address: 0.0.0.0:8080 (all interfaces)
                log: text, level info
                auth token: (set)
                OTLP receiver: 0.0.0.0:4319, token (set), body limit 1MiB, silent after 45m
                store: jdbc:sqlite:/data/x.db?password=***
                data dir: /data
                backfill: 90 complete UTC days before today, plus today
                look-back: 3 days
                answer limit: 32MiB
                poll intervals: members 1h, spend 15m, daily_usage 1h30m, usage_events 1d, billing_groups 1h, \
                analytics 1h, ai_code 1h, audit_logs 1h
                rate limits per minute: admin 18, usage_events 54, analytics_team 90, analytics_by_user 45, ai_code 18
                directory: people.csv
                user label: hash (salt (set))""", description);
        assertFalse(description.contains("SECRET"));
        // the record's own toString hides Secrets; the store URL is a plain String in the contract, so it is not
        // checked here (see the report: a PostgreSQL URL with a password would show)
        for (String secret : List.of("key_SECRET_eu", "key_SECRET_us", "salt_SECRET", "tok_SECRET", "otlp_SECRET")) {
            assertFalse(config.toString().contains(secret), secret);
        }
    }

    /** The PostgreSQL store's password, from a variable or a file, shows only as set, in the summary and in toString. */
    @Test
    void postgresqlStoreShowsItsUrlAndWhetherItsPasswordIsSet(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("pg-password"), "pg_SECRET_file\n");
        for (Map<String, String> env : List.of(
                Map.of("CURSOR_EXPORTER_STORE_URL", "jdbc:postgresql://db:5432/cursor?user=exporter&sslmode=require",
                        "CURSOR_EXPORTER_STORE_PASSWORD", "pg_SECRET_env"),
                Map.of("CURSOR_EXPORTER_STORE_URL", "jdbc:postgresql://db:5432/cursor?user=exporter&sslmode=require",
                        "CURSOR_EXPORTER_STORE_PASSWORD_FILE", file.toString()))) {
            ExporterConfig config = ConfigLoader.load(env);
            String description = ConfigDescription.describe(config);
            assertEquals("store: jdbc:postgresql://db:5432/cursor?user=exporter&sslmode=require (PostgreSQL), "
                    + "password (set)", description.lines().filter(l -> l.startsWith("store:")).findFirst().orElseThrow());
            assertFalse(description.contains("SECRET"), description);
            assertFalse(config.toString().contains("SECRET"), config.toString());
            assertFalse(config.store().toString().contains("SECRET"), config.store().toString());
        }
        ExporterConfig without = ConfigLoader.load(Map.of("CURSOR_EXPORTER_STORE_URL", "jdbc:postgresql://db/cursor"));
        assertEquals("store: jdbc:postgresql://db/cursor (PostgreSQL), password (not set)", ConfigDescription
                .describe(without).lines().filter(l -> l.startsWith("store:")).findFirst().orElseThrow());
    }

    /** The configuration as loaded; what demo mode runs with instead is DemoModeTest's. */
    @Test
    void demoDefaultsAsConfigured() throws ConfigException {
        assertEquals("""
                mode: demo (no API key configured; the built-in simulator is polled)
                listen address: 0.0.0.0:9464 (all interfaces)
                log: text, level info
                auth token: (not set; every endpoint is open)
                OTLP receiver: (off; no OTLP token set)
                store: SQLite file ./data/cursor-exporter.db
                data dir: ./data
                backfill: 30 complete UTC days before today, plus today
                look-back: 2 days
                answer limit: 32MiB
                poll intervals: members 1h, spend 15m, daily_usage 1h, usage_events 1h, billing_groups 1h, \
                analytics 1h, ai_code 1h, audit_logs 1h
                rate limits per minute: admin 18, usage_events 54, analytics_team 90, analytics_by_user 45, ai_code 18
                directory: (none; team 'unassigned', location 'unknown')
                user label: email""", ConfigDescription.describe(ConfigLoader.load(Map.of())));
    }

    @Test
    void forcedDemoSaysTheAccountIsNotPolled() throws ConfigException {
        String description = ConfigDescription.describe(ConfigLoader.load(Map.of(
                "CURSOR_API_KEY", "key_SECRET_env", "CURSOR_EXPORTER_DEMO", "true",
                "CURSOR_EXPORTER_USER_LABEL", "none")));
        assertEquals("mode: demo (forced; 1 configured account is not polled)", description.lines().findFirst().orElseThrow());
        assertEquals("user label: none (no user label)", description.lines().reduce((a, b) -> b).orElseThrow());
        assertFalse(description.contains("SECRET"));
    }
}
