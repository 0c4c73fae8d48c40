package dev.cursorexporter.config;

import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Valid configurations: defaults, every YAML key, the environment over YAML, key files. */
class ConfigLoaderTest {
    private static final Map<Source, Duration> DEFAULT_INTERVALS = Map.of(
            Source.MEMBERS, Duration.ofHours(1),
            Source.SPEND, Duration.ofMinutes(15),
            Source.DAILY_USAGE, Duration.ofHours(1),
            Source.USAGE_EVENTS, Duration.ofHours(1),
            Source.BILLING_GROUPS, Duration.ofHours(1),
            Source.ANALYTICS, Duration.ofHours(1),
            Source.AI_CODE, Duration.ofHours(1));
    private static final URI CURSOR = URI.create("https://api.cursor.com");

    /** The receiver's defaults: off (no token), port 4318, 4 MiB bodies. */
    private static final OtlpConfig NO_OTLP = new OtlpConfig(4318, Optional.empty(), 4L << 20);

    @TempDir
    Path tmp;

    @Test
    void nothingConfiguredIsDemoModeWithDefaults() throws Exception {
        ExporterConfig expected = new ExporterConfig(
                new ServerConfig(9464, Optional.empty(), Optional.empty()),
                new StoreConfig(Path.of("./data"), Optional.empty()),
                new SyncConfig(30, 2, DEFAULT_INTERVALS, BudgetFamily.defaultLimits(),
                        ClientSettings.DEFAULT_MAX_ANSWER_BYTES),
                List.of(), true,
                new DirectoryConfig(Optional.empty(), List.of(), TeamSource.DIRECTORY),
                new MetricsConfig(UserLabelMode.EMAIL, Optional.empty(), ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC,
                        ExporterConfig.DEFAULT_MAX_USERS, ExporterConfig.DEFAULT_MAX_MODELS),
                Budgets.NONE, NO_OTLP);
        assertEquals(expected, ConfigLoader.load(Map.of()));
    }

    @Test
    void theReceiversSilenceLimitIsReadAsADurationFromYamlAndTheEnvironment() throws Exception {
        assertEquals(Duration.ofHours(1), ConfigLoader.load(Map.of()).otlp().silentAfter(), "default");
        String yaml = yaml("otlp:\n  silent_after: 2h30m\n");
        assertEquals(Duration.ofMinutes(150),
                ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml)).otlp().silentAfter());
        assertEquals(Duration.ofDays(3), ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml,
                "CURSOR_EXPORTER_OTLP_SILENT_AFTER", " 3d ")).otlp().silentAfter(), "the variable wins");
        assertEquals(Duration.ofMinutes(5), ConfigLoader.load(Map.of("CURSOR_EXPORTER_OTLP_SILENT_AFTER", "5m"))
                .otlp().silentAfter(), "the lower bound itself");
        assertEquals(Duration.ofDays(30), ConfigLoader.load(Map.of("CURSOR_EXPORTER_OTLP_SILENT_AFTER", "30d"))
                .otlp().silentAfter(), "the upper bound itself");
    }

    @Test
    void anApiKeyInTheEnvironmentIsOneLiveAccount() throws Exception {
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_API_KEY", " key_SECRET_env\n"));
        assertEquals(List.of(new AccountConfig("default", new Secret("key_SECRET_env"), CURSOR)), config.accounts());
        assertFalse(config.demo());
    }

    @Test
    void theHashUserLabelNeedsNoConfiguredSaltTheStoreKeepsAGeneratedOne() throws Exception {
        MetricsConfig metrics = ConfigLoader.load(Map.of("CURSOR_EXPORTER_USER_LABEL", "hash")).metrics();
        assertEquals(UserLabelMode.HASH, metrics.userLabel());
        assertEquals(Optional.empty(), metrics.userLabelSalt());
        assertEquals(Optional.empty(), ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG",
                yaml("metrics:\n  user_label: hash\n"))).metrics().userLabelSalt());
    }

    @Test
    void blankVariablesCountAsUnset() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String variable : List.of("CURSOR_EXPORTER_CONFIG", "CURSOR_API_KEY", "CURSOR_API_KEY_FILE",
                "CURSOR_API_BASE_URL", "CURSOR_EXPORTER_PORT", "CURSOR_EXPORTER_DATA_DIR", "CURSOR_EXPORTER_STORE_URL",
                "CURSOR_EXPORTER_BACKFILL_DAYS", "CURSOR_EXPORTER_LOOKBACK_DAYS", "CURSOR_EXPORTER_DEMO",
                "CURSOR_EXPORTER_AUTH_TOKEN", "CURSOR_EXPORTER_AUTH_TOKEN_FILE", "CURSOR_EXPORTER_DIRECTORY_FILE",
                "CURSOR_EXPORTER_USER_LABEL", "CURSOR_EXPORTER_USER_LABEL_SALT")) {
            env.put(variable, env.size() % 2 == 0 ? "" : "  ");
        }
        assertEquals(ConfigLoader.load(Map.of()), ConfigLoader.load(env));
    }

    @Test
    void everyYamlKeyIsRead() throws Exception {
        ExporterConfig expected = new ExporterConfig(
                new ServerConfig(8080, Optional.of(new Secret("tok_SECRET_yaml")), Optional.empty()),
                new StoreConfig(Path.of("/var/lib/cursor-exporter"),
                        Optional.of("jdbc:sqlite:/var/lib/cursor-exporter/custom.db")),
                new SyncConfig(90, 3, FULL_YAML_INTERVALS, FULL_YAML_RATE_LIMITS,
                        ClientSettings.DEFAULT_MAX_ANSWER_BYTES),
                List.of(new AccountConfig("default", new Secret("key_SECRET_yaml"),
                        URI.create("https://cursor.example.com"))),
                false,
                new DirectoryConfig(Optional.of(Path.of("src/test/resources/config/directory.csv")), List.of(),
                        TeamSource.DIRECTORY),
                new MetricsConfig(UserLabelMode.HASH, Optional.of(new Secret("salt_SECRET_yaml")),
                        ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC,
                        ExporterConfig.DEFAULT_MAX_USERS, ExporterConfig.DEFAULT_MAX_MODELS),
                Budgets.NONE, NO_OTLP);
        assertEquals(expected, ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", resource("full.yaml"))));
    }

    /** full.yaml sets four sources; the others keep their default. */
    private static final Map<Source, Duration> FULL_YAML_INTERVALS = Map.of(
            Source.MEMBERS, Duration.ofHours(2),
            Source.SPEND, Duration.ofMinutes(5),
            Source.DAILY_USAGE, Duration.ofMinutes(90),
            Source.USAGE_EVENTS, Duration.ofDays(1),
            Source.BILLING_GROUPS, Duration.ofHours(1),
            Source.ANALYTICS, Duration.ofHours(1),
            Source.AI_CODE, Duration.ofHours(1));

    /** full.yaml sets two families; the others keep 90 % of the published limits. */
    private static final Map<BudgetFamily, Integer> FULL_YAML_RATE_LIMITS = Map.of(BudgetFamily.ADMIN, 10,
            BudgetFamily.USAGE_EVENTS, 30, BudgetFamily.ANALYTICS_TEAM, 90, BudgetFamily.ANALYTICS_BY_USER, 45,
            BudgetFamily.AI_CODE, 1000);

    @Test
    void rateLimitsDefaultToNinetyPercentOfThePublishedLimits() throws Exception {
        Map<BudgetFamily, Integer> limits = ConfigLoader.load(Map.of()).sync().rateLimits();
        for (BudgetFamily family : BudgetFamily.values()) {
            assertEquals(family.publishedPerMinute() * 9 / 10, limits.get(family), family.key());
            assertTrue(limits.get(family) < family.publishedPerMinute(), family.key());
        }
        String yaml = yaml("sync:\n  rate_limits:\n    analytics_by_user: 1\n    admin:\n");
        Map<BudgetFamily, Integer> one = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml)).sync().rateLimits();
        assertEquals(1, one.get(BudgetFamily.ANALYTICS_BY_USER));
        assertEquals(18, one.get(BudgetFamily.ADMIN), "an empty value keeps the default");
    }

    @Test
    void environmentOverridesEveryYamlValue() throws Exception {
        Path token = write("token.txt", "\ttok_SECRET_file\r\n");
        Path directory = write("people.csv", "email,team,location\n");
        Map<String, String> env = new HashMap<>();
        env.put("CURSOR_EXPORTER_CONFIG", resource("full.yaml"));
        env.put("CURSOR_EXPORTER_PORT", "9000");
        env.put("CURSOR_EXPORTER_DATA_DIR", tmp.toString());
        env.put("CURSOR_EXPORTER_STORE_URL", "jdbc:sqlite:" + tmp.resolve("x.db"));
        env.put("CURSOR_EXPORTER_BACKFILL_DAYS", "365");
        env.put("CURSOR_EXPORTER_LOOKBACK_DAYS", "0");
        env.put("CURSOR_API_KEY", "key_SECRET_env");
        env.put("CURSOR_API_BASE_URL", "http://127.0.0.1:4010");
        env.put("CURSOR_EXPORTER_DEMO", "TRUE");
        env.put("CURSOR_EXPORTER_AUTH_TOKEN_FILE", token.toString());
        env.put("CURSOR_EXPORTER_DIRECTORY_FILE", directory.toString());
        env.put("CURSOR_EXPORTER_USER_LABEL", "None");
        env.put("CURSOR_EXPORTER_USER_LABEL_SALT", "salt_SECRET_env");

        ExporterConfig expected = new ExporterConfig(
                new ServerConfig(9000, Optional.of(new Secret("tok_SECRET_file")), Optional.empty()),
                new StoreConfig(tmp, Optional.of("jdbc:sqlite:" + tmp.resolve("x.db"))),
                new SyncConfig(365, 0, FULL_YAML_INTERVALS, FULL_YAML_RATE_LIMITS,
                        ClientSettings.DEFAULT_MAX_ANSWER_BYTES),
                List.of(new AccountConfig("default", new Secret("key_SECRET_env"),
                        URI.create("http://127.0.0.1:4010"))),
                true,
                new DirectoryConfig(Optional.of(directory), List.of(), TeamSource.DIRECTORY),
                new MetricsConfig(UserLabelMode.NONE, Optional.of(new Secret("salt_SECRET_env")),
                        ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC,
                        ExporterConfig.DEFAULT_MAX_USERS, ExporterConfig.DEFAULT_MAX_MODELS),
                Budgets.NONE, NO_OTLP);
        assertEquals(expected, ConfigLoader.load(env));
    }

    @Test
    void aPostgresqlUrlSelectsPostgresqlWithItsPasswordFromTheEnvironmentOrAFile() throws Exception {
        String url = "jdbc:postgresql://db.internal:5432/cursor?user=exporter&sslmode=verify-full";
        StoreConfig direct = ConfigLoader.load(Map.of("CURSOR_EXPORTER_STORE_URL", url,
                "CURSOR_EXPORTER_STORE_PASSWORD", " pg_SECRET_env ")).store();
        assertEquals(new StoreConfig(Path.of("./data"), Optional.of(url), Optional.of(new Secret("pg_SECRET_env"))),
                direct);
        assertTrue(direct.postgresql());

        Path file = Files.writeString(tmp.resolve("pg-password"), "pg_SECRET_file\n");
        String yaml = yaml("store:\n  url: " + url + "\n  password_file: " + file + "\n");
        StoreConfig fromFile = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml)).store();
        assertEquals("pg_SECRET_file", fromFile.password().orElseThrow().reveal());
        Files.writeString(file, "pg_SECRET_rotated\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertEquals("pg_SECRET_rotated", fromFile.password().orElseThrow().reveal(), "a rotated file is re-read");
        assertFalse(fromFile.toString().contains("SECRET"), fromFile.toString());

        assertFalse(ConfigLoader.load(Map.of()).store().postgresql());
        assertFalse(ConfigLoader.load(Map.of("CURSOR_EXPORTER_STORE_URL", "jdbc:sqlite:" + tmp.resolve("x.db")))
                .store().postgresql());
    }

    @Test
    void anEnvironmentKeyReplacesAYamlKeyFileThatIsThenNeverRead() throws Exception {
        String yaml = yaml("cursor:\n  api_key_file: " + tmp.resolve("missing.txt") + "\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml,
                "CURSOR_API_KEY", "key_SECRET_env"));
        assertEquals(new Secret("key_SECRET_env"), config.accounts().get(0).apiKey());
    }

    @Test
    void anInvalidYamlValueOverriddenByTheEnvironmentIsNotJudged() throws Exception {
        String yaml = yaml("server:\n  port: http\nsync:\n  backfill_days: 400\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml,
                "CURSOR_EXPORTER_PORT", "1", "CURSOR_EXPORTER_BACKFILL_DAYS", "1"));
        assertEquals(1, config.server().port());
        assertEquals(1, config.sync().backfillDays());
    }

    @Test
    void keyFilesAreReadAndTrimmed() throws Exception {
        Path key = write("key.txt", "\n  key_SECRET_file  \n\n");
        Path token = write("token.txt", "tok_SECRET_file\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_API_KEY_FILE", key.toString(),
                "CURSOR_EXPORTER_AUTH_TOKEN_FILE", token.toString()));
        assertEquals(new Secret("key_SECRET_file"), config.accounts().get(0).apiKey());
        assertEquals(Optional.of(new Secret("tok_SECRET_file")), config.server().authToken());
    }

    @Test
    void yamlKeyFilesAreReadToo() throws Exception {
        Path key = write("key.txt", "key_SECRET_file\n");
        Path token = write("token.txt", "tok_SECRET_file\n");
        String yaml = yaml("cursor:\n  api_key_file: " + key + "\nserver:\n  auth_token_file: " + token + "\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml));
        assertEquals(new Secret("key_SECRET_file"), config.accounts().get(0).apiKey());
        assertEquals(Optional.of(new Secret("tok_SECRET_file")), config.server().authToken());
    }

    @Test
    void basicAuthFromEnvironmentOverYaml() throws Exception {
        Path password = write("password.txt", "pw_SECRET_file\n");
        String yaml = yaml("server:\n  basic_auth:\n    user: grafana\n    password: pw_SECRET_yaml\n");
        ExporterConfig fromYaml = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml));
        assertEquals(Optional.of(new BasicAuthConfig("grafana", new Secret("pw_SECRET_yaml"))),
                fromYaml.server().basicAuth());
        ExporterConfig fromEnv = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml,
                "CURSOR_EXPORTER_BASIC_AUTH_USER", "prometheus",
                "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE", password.toString()));
        assertEquals(Optional.of(new BasicAuthConfig("prometheus", new Secret("pw_SECRET_file"))),
                fromEnv.server().basicAuth());
        assertEquals(Optional.empty(), ConfigLoader.load(Map.of()).server().basicAuth());
    }

    @Test
    void secretFilesAreReReadWhenTheyChange() throws Exception {
        Path key = write("key.txt", "key_SECRET_one\n");
        Path token = write("token.txt", "tok_SECRET_one\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_API_KEY_FILE", key.toString(),
                "CURSOR_EXPORTER_AUTH_TOKEN_FILE", token.toString()));
        Secret apiKey = config.accounts().get(0).apiKey();
        Secret authToken = config.server().authToken().orElseThrow();
        assertEquals("key_SECRET_one", apiKey.reveal());
        // a rotated secret: new content, and (like Kubernetes' symlink swap) another modification time
        Files.writeString(key, "key_SECRET_rotated_two\n");
        Files.setLastModifiedTime(key, java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.writeString(token, "tok_SECRET_two\n");
        Files.setLastModifiedTime(token, java.nio.file.attribute.FileTime.fromMillis(2_000));
        assertEquals("key_SECRET_rotated_two", apiKey.reveal());
        assertEquals("tok_SECRET_two", authToken.reveal());
        // mid-rotation the file may be gone or empty for a moment: the last good value stays
        Files.writeString(token, "");
        Files.delete(key);
        assertEquals("key_SECRET_rotated_two", apiKey.reveal());
        assertEquals("tok_SECRET_two", authToken.reveal());
        assertEquals("***", apiKey.toString());
    }

    @Test
    void severalAccountsWithNamesKeysAndKeyFiles() throws Exception {
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", resource("accounts.yaml")));
        assertEquals(List.of(
                new AccountConfig("eu", new Secret("key_SECRET_eu"), CURSOR),
                new AccountConfig("us-west_2", new Secret("key_SECRET_us"), URI.create("http://localhost:8081"))),
                config.accounts());
        assertFalse(config.demo());
    }

    @Test
    void forcedDemoKeepsTheConfiguredAccounts() throws Exception {
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", resource("accounts.yaml"),
                "CURSOR_EXPORTER_DEMO", "true"));
        assertTrue(config.demo());
        assertEquals(2, config.accounts().size());

        String yaml = yaml("demo: true\n");
        ExporterConfig fromYaml = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml,
                "CURSOR_API_KEY", "key_SECRET_env"));
        assertTrue(fromYaml.demo());
        assertEquals(1, fromYaml.accounts().size());
    }

    @Test
    void demoFalseWithoutAKeyIsStillDemo() throws Exception {
        assertTrue(ConfigLoader.load(Map.of("CURSOR_EXPORTER_DEMO", "false")).demo());
    }

    @Test
    void theEnvironmentFillsTheSingleListedAccount() throws Exception {
        String yaml = yaml("accounts:\n  - name: prod\n    base_url: https://eu.cursor.example\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml,
                "CURSOR_API_KEY", "key_SECRET_env"));
        assertEquals(List.of(new AccountConfig("prod", new Secret("key_SECRET_env"),
                URI.create("https://eu.cursor.example"))), config.accounts());

        String unnamed = yaml("accounts:\n  - api_key: key_SECRET_yaml\n");
        ExporterConfig overridden = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", unnamed,
                "CURSOR_API_BASE_URL", "http://localhost:9/"));
        assertEquals(List.of(new AccountConfig("default", new Secret("key_SECRET_yaml"),
                URI.create("http://localhost:9"))), overridden.accounts());
    }

    @Test
    void aBaseUrlWithoutAKeyIsDemoMode() throws Exception {
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_API_BASE_URL", "http://localhost:1234"));
        assertTrue(config.demo());
        assertEquals(List.of(), config.accounts());
    }

    @Test
    void emptyYamlFileAndEmptySectionsKeepTheDefaults() throws Exception {
        ExporterConfig defaults = ConfigLoader.load(Map.of());
        assertEquals(defaults, ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml(""))));
        assertEquals(defaults, ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml("# nothing yet\n"))));
        assertEquals(defaults, ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG",
                yaml("server:\nsync:\n  intervals:\n  backfill_days:\nmetrics:\n  user_label: \"\"\n"))));
    }

    @Test
    void scalarsMayBeQuotedAndCaseIsIgnoredWhereItCannotMatter() throws Exception {
        String yaml = yaml("""
                server:
                  port: "8081"
                sync:
                  backfill_days: " 7 "
                  intervals:
                    spend: 1M
                    members: 90s
                demo: "False"
                metrics:
                  user_label: EMAIL
                """);
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml));
        assertEquals(8081, config.server().port());
        assertEquals(7, config.sync().backfillDays());
        assertEquals(Duration.ofMinutes(1), config.sync().pollInterval(Source.SPEND));
        assertEquals(Duration.ofSeconds(90), config.sync().pollInterval(Source.MEMBERS));
        assertEquals(UserLabelMode.EMAIL, config.metrics().userLabel());
    }

    @Test
    void boundariesAreAccepted() throws Exception {
        for (String[] bounds : new String[][]{{"1", "1", "0"}, {"65535", "365", "7"}}) {
            ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_PORT", bounds[0],
                    "CURSOR_EXPORTER_BACKFILL_DAYS", bounds[1], "CURSOR_EXPORTER_LOOKBACK_DAYS", bounds[2]));
            assertEquals(Integer.parseInt(bounds[0]), config.server().port());
            assertEquals(Integer.parseInt(bounds[1]), config.sync().backfillDays());
            assertEquals(Integer.parseInt(bounds[2]), config.sync().lookbackDays());
        }
    }

    @Test
    void saltIsKeptEvenWhenTheModeDoesNotUseIt() throws Exception {
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_USER_LABEL", "hash",
                "CURSOR_EXPORTER_USER_LABEL_SALT", "salt_SECRET_env"));
        assertEquals(UserLabelMode.HASH, config.metrics().userLabel());
        assertEquals(Optional.of(new Secret("salt_SECRET_env")), config.metrics().userLabelSalt());
    }

    private String resource(String name) throws URISyntaxException {
        return Path.of(getClass().getResource("/config/" + name).toURI()).toString();
    }

    @Test
    void eachAccountMayHaveItsOwnRateLimits() throws Exception {
        String yaml = yaml("sync:\n  rate_limits:\n    admin: 12\n"
                + "accounts:\n  - name: big\n    api_key: k1_SECRET\n    rate_limits:\n      usage_events: 30\n"
                + "  - name: small\n    api_key: k2_SECRET\n");
        ExporterConfig config = ConfigLoader.load(Map.of("CURSOR_EXPORTER_CONFIG", yaml));
        assertEquals(12, config.sync().rateLimits().get(BudgetFamily.ADMIN), "the global limit");
        assertEquals(Map.of(BudgetFamily.USAGE_EVENTS, 30), config.accounts().get(0).rateLimits());
        assertEquals(Map.of(), config.accounts().get(1).rateLimits(), "no override: the global limits apply");
    }

    private String yaml(String content) throws IOException {
        return write("config-" + content.hashCode() + ".yaml", content).toString();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }
}
