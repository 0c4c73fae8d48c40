package dev.cursorexporter.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Invalid configurations and the exact problem lines they produce. {@code $TMP} stands for a scratch directory
 * holding {@code key.txt} (a key), {@code blank.txt} (whitespace only) and {@code c.yaml} (the case's YAML, when it
 * has one). Every secret used below contains {@code SECRET}, which must never reach a problem line.
 */
class ConfigProblemsTest {
    @TempDir
    Path tmp;

    record Case(String name, Map<String, String> env, String yaml, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ---- numbers
                env("backfill above 365", List.of("CURSOR_EXPORTER_BACKFILL_DAYS: must be an integer from 1 to 365, got '400'"),
                        "CURSOR_EXPORTER_BACKFILL_DAYS", "400"),
                env("backfill zero", List.of("CURSOR_EXPORTER_BACKFILL_DAYS: must be an integer from 1 to 365, got '0'"),
                        "CURSOR_EXPORTER_BACKFILL_DAYS", "0"),
                env("port not a number", List.of("CURSOR_EXPORTER_PORT: must be an integer from 1 to 65535, got 'http'"),
                        "CURSOR_EXPORTER_PORT", "http"),
                env("port overflowing int", List.of("CURSOR_EXPORTER_PORT: must be an integer from 1 to 65535, got '99999999999'"),
                        "CURSOR_EXPORTER_PORT", "99999999999"),
                yaml("port too large in YAML", "server:\n  port: 70000\n",
                        "server.port: must be an integer from 1 to 65535, got '70000'"),
                yaml("backfill fractional in YAML", "sync:\n  backfill_days: 1.5\n",
                        "sync.backfill_days: must be an integer from 1 to 365, got '1.5'"),
                env("lookback above 7", List.of("CURSOR_EXPORTER_LOOKBACK_DAYS: must be an integer from 0 to 7, got '8'"),
                        "CURSOR_EXPORTER_LOOKBACK_DAYS", "8"),
                yaml("lookback negative in YAML", "sync:\n  lookback_days: -1\n",
                        "sync.lookback_days: must be an integer from 0 to 7, got '-1'"),
                env("answer size in parsecs", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '12 parsecs'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "12 parsecs"),
                env("answer size negative", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '-1'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "-1"),
                env("answer size fractional", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '1.5MiB'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "1.5MiB"),
                env("answer size below 64 KiB", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '1KiB'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "1KiB"),
                env("answer size above 1 GiB", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '2GiB'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "2GiB"),
                env("answer size lower-case unit", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '32mib'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "32mib"),
                env("answer size overflowing", List.of("CURSOR_EXPORTER_MAX_ANSWER_SIZE: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '99999999999GiB'"),
                        "CURSOR_EXPORTER_MAX_ANSWER_SIZE", "99999999999GiB"),
                yaml("answer size in kB in YAML", "sync:\n  max_answer_size: 512kB\n",
                        "sync.max_answer_size: must be a size from 64KiB to 1GiB (bytes, or a whole number with KiB, MiB or GiB), got '512kB'"),
                // ---- durations
                yaml("interval not a duration", "sync:\n  intervals:\n    spend: often\n",
                        "sync.intervals.spend: must be a duration like 30s, 15m or 1h, got 'often'"),
                yaml("interval without unit", "sync:\n  intervals:\n    daily_usage: 60\n",
                        "sync.intervals.daily_usage: must be a duration like 30s, 15m or 1h, got '60'"),
                yaml("interval below a minute", "sync:\n  intervals:\n    members: 10s\n",
                        "sync.intervals.members: must be at least 1m, got '10s'"),
                yaml("interval zero", "sync:\n  intervals:\n    usage_events: 0m\n",
                        "sync.intervals.usage_events: must be at least 1m, got '0m'"),
                env("silent_after not a duration", List.of("CURSOR_EXPORTER_OTLP_SILENT_AFTER: must be a duration "
                                + "like 30s, 15m or 1h, got 'soon'"),
                        "CURSOR_EXPORTER_OTLP_SILENT_AFTER", "soon"),
                env("silent_after in minutes without unit", List.of("CURSOR_EXPORTER_OTLP_SILENT_AFTER: must be a "
                                + "duration like 30s, 15m or 1h, got '30'"),
                        "CURSOR_EXPORTER_OTLP_SILENT_AFTER", "30"),
                yaml("silent_after below 5 minutes", "otlp:\n  silent_after: 90s\n",
                        "otlp.silent_after: must be at least 5m, got '90s'"),
                yaml("silent_after above 30 days", "otlp:\n  silent_after: 31d\n",
                        "otlp.silent_after: must be at most 30d, got '31d'"),
                // ---- rate limits
                yaml("rate limit zero", "sync:\n  rate_limits:\n    admin: 0\n",
                        "sync.rate_limits.admin: must be an integer from 1 to 1000, got '0'"),
                yaml("rate limit not a number", "sync:\n  rate_limits:\n    usage_events: fast\n",
                        "sync.rate_limits.usage_events: must be an integer from 1 to 1000, got 'fast'"),
                yaml("rate limit per second", "sync:\n  rate_limits:\n    ai_code: 20/s\n",
                        "sync.rate_limits.ai_code: must be an integer from 1 to 1000, got '20/s'"),
                yaml("rate limit too high", "sync:\n  rate_limits:\n    analytics_team: 6000\n",
                        "sync.rate_limits.analytics_team: must be an integer from 1 to 1000, got '6000'"),
                yaml("rate limit unknown family", "sync:\n  rate_limits:\n    spend: 10\n",
                        "unknown key 'sync.rate_limits.spend'"),
                yaml("rate limits not a mapping", "sync:\n  rate_limits: 20\n",
                        "sync.rate_limits: must be a mapping, got a number"),
                yaml("rate limit a list", "sync:\n  rate_limits:\n    admin: [1, 2]\n",
                        "sync.rate_limits.admin: must be a single value, got a list"),
                // ---- booleans and enums
                env("demo yes", List.of("CURSOR_EXPORTER_DEMO: must be true or false, got 'yes'"),
                        "CURSOR_EXPORTER_DEMO", "yes"),
                yaml("demo 1 in YAML", "demo: 1\n", "demo: must be true or false, got '1'"),
                yaml("demo yes in YAML", "demo: yes\n", "demo: must be true or false, got 'yes'"),
                yaml("demo on in YAML", "demo: On\n", "demo: must be true or false, got 'On'"),
                yaml("user label unknown", "metrics:\n  user_label: x\n",
                        "metrics.user_label: must be one of email, hash, none, got 'x'"),
                // ---- secrets and key files
                env("key file missing", List.of("CURSOR_API_KEY_FILE: cannot read '$TMP/missing.txt': no such file"),
                        "CURSOR_API_KEY_FILE", "$TMP/missing.txt"),
                env("key file is a directory", List.of("CURSOR_API_KEY_FILE: cannot read '$TMP': is a directory"),
                        "CURSOR_API_KEY_FILE", "$TMP"),
                env("key file blank", List.of("CURSOR_API_KEY_FILE: file '$TMP/blank.txt' is empty"),
                        "CURSOR_API_KEY_FILE", "$TMP/blank.txt"),
                env("key and key file", List.of("CURSOR_API_KEY and CURSOR_API_KEY_FILE are both set; set one"),
                        "CURSOR_API_KEY", "key_SECRET_env", "CURSOR_API_KEY_FILE", "$TMP/key.txt"),
                yaml("key and key file in YAML", "cursor:\n  api_key: key_SECRET_yaml\n  api_key_file: $TMP/key.txt\n",
                        "cursor.api_key and cursor.api_key_file are both set; set one"),
                env("token and token file", List.of(
                                "CURSOR_EXPORTER_AUTH_TOKEN and CURSOR_EXPORTER_AUTH_TOKEN_FILE are both set; set one"),
                        "CURSOR_EXPORTER_AUTH_TOKEN", "tok_SECRET_env", "CURSOR_EXPORTER_AUTH_TOKEN_FILE", "$TMP/key.txt"),
                yaml("token file missing in YAML", "server:\n  auth_token_file: $TMP/nope\n",
                        "server.auth_token_file: cannot read '$TMP/nope': no such file"),
                // ---- basic auth: user and password both or neither
                env("basic user without password", List.of("CURSOR_EXPORTER_BASIC_AUTH_PASSWORD or "
                                + "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE: required when CURSOR_EXPORTER_BASIC_AUTH_USER is set"),
                        "CURSOR_EXPORTER_BASIC_AUTH_USER", "prometheus"),
                env("basic password without user", List.of(
                                "CURSOR_EXPORTER_BASIC_AUTH_USER: required when CURSOR_EXPORTER_BASIC_AUTH_PASSWORD is set"),
                        "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD", "pw_SECRET_env"),
                env("basic password file without user", List.of(
                                "CURSOR_EXPORTER_BASIC_AUTH_USER: required when CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE is set"),
                        "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE", "$TMP/key.txt"),
                env("basic password and password file", List.of("CURSOR_EXPORTER_BASIC_AUTH_PASSWORD and "
                                + "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE are both set; set one"),
                        "CURSOR_EXPORTER_BASIC_AUTH_USER", "prometheus",
                        "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD", "pw_SECRET_env",
                        "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE", "$TMP/key.txt"),
                env("basic user with colon", List.of("CURSOR_EXPORTER_BASIC_AUTH_USER: must not contain ':'"),
                        "CURSOR_EXPORTER_BASIC_AUTH_USER", "prom:etheus",
                        "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD", "pw_SECRET_env"),
                yaml("basic user without password in YAML", "server:\n  basic_auth:\n    user: prometheus\n",
                        "server.basic_auth.password or server.basic_auth.password_file: required when "
                                + "server.basic_auth.user is set"),
                yaml("basic password without user in YAML", "server:\n  basic_auth:\n    password: pw_SECRET_yaml\n",
                        "server.basic_auth.user: required when server.basic_auth.password is set"),
                yaml("basic password file missing in YAML",
                        "server:\n  basic_auth:\n    user: prometheus\n    password_file: $TMP/nope\n",
                        "server.basic_auth.password_file: cannot read '$TMP/nope': no such file"),
                yaml("basic auth unknown key in YAML", "server:\n  basic_auth:\n    username: prometheus\n",
                        "unknown key 'server.basic_auth.username'"),
                yaml("unquoted numeric key", "cursor:\n  api_key: 12345SECRET\n  api_key_file: 0x1F\n",
                        "cursor.api_key_file: must be a string, got a number; quote the value"),
                yaml("numeric salt", "metrics:\n  user_label: hash\n  user_label_salt: 4242\n",
                        "metrics.user_label_salt: must be a string, got a number; quote the value"),
                // ---- URLs
                env("PostgreSQL URL with credentials", List.of("CURSOR_EXPORTER_STORE_URL: must not contain user info "
                                + "(got 'jdbc:postgresql://***@db:5432/cursor?sslmode=require&password=***'); name the "
                                + "user with ?user=, the password belongs in CURSOR_EXPORTER_STORE_PASSWORD / _FILE "
                                + "(store.password / store.password_file)"),
                        "CURSOR_EXPORTER_STORE_URL",
                        "jdbc:postgresql://bob:pw_SECRET@db:5432/cursor?sslmode=require&password=pw_SECRET"),
                env("PostgreSQL URL with a password parameter", List.of("CURSOR_EXPORTER_STORE_URL: must not contain a "
                                + "password (got 'jdbc:postgresql://db:5432/cursor?user=bob&password=***'); it belongs in "
                                + "CURSOR_EXPORTER_STORE_PASSWORD / _FILE (store.password / store.password_file)"),
                        "CURSOR_EXPORTER_STORE_URL", "jdbc:postgresql://db:5432/cursor?user=bob&password=pw_SECRET"),
                yaml("PostgreSQL URL with an SSL key password in YAML",
                        "store:\n  url: jdbc:postgresql://db/cursor?sslpassword=pw_SECRET&user=bob\n",
                        "store.url: must not contain a password (got 'jdbc:postgresql://db/cursor?sslpassword=***&user=bob'); "
                                + "it belongs in CURSOR_EXPORTER_STORE_PASSWORD / _FILE (store.password / "
                                + "store.password_file)"),
                yaml("other JDBC URL in YAML", "store:\n  url: jdbc:sqlserver://db;user=sa;password=pw_SECRET\n",
                        "store.url: only jdbc:sqlite: and jdbc:postgresql:// URLs are supported, got "
                                + "'jdbc:sqlserver://db;user=sa;password=***'"),
                env("store password without a PostgreSQL URL", List.of("CURSOR_EXPORTER_STORE_PASSWORD: applies only to "
                                + "a PostgreSQL store, but CURSOR_EXPORTER_STORE_URL is not a jdbc:postgresql:// URL"),
                        "CURSOR_EXPORTER_STORE_PASSWORD", "pw_SECRET"),
                yaml("store password file beside a SQLite URL in YAML",
                        "store:\n  url: jdbc:sqlite:/tmp/x.db\n  password: pw_SECRET\n",
                        "store.password: applies only to a PostgreSQL store, but store.url is not a jdbc:postgresql:// URL"),
                yaml("store password and its file both in YAML",
                        "store:\n  url: jdbc:postgresql://db/cursor\n  password: pw_SECRET\n  password_file: $TMP/nope\n",
                        "store.password and store.password_file are both set; set one"),
                env("store password file missing", List.of("CURSOR_EXPORTER_STORE_PASSWORD_FILE: cannot read "
                                + "'$TMP/nope': no such file"),
                        "CURSOR_EXPORTER_STORE_PASSWORD_FILE", "$TMP/nope"),
                yaml("base URL not http", "cursor:\n  base_url: ftp://x\n",
                        "cursor.base_url: must be an absolute http(s) URL, got 'ftp://x'"),
                env("base URL relative", List.of("CURSOR_API_BASE_URL: must be an absolute http(s) URL, got 'api.cursor.com'"),
                        "CURSOR_API_BASE_URL", "api.cursor.com"),
                env("base URL unparseable", List.of("CURSOR_API_BASE_URL: must be an absolute http(s) URL, got 'http://a b'"),
                        "CURSOR_API_BASE_URL", "http://a b"),
                yaml("base URL with credentials", "cursor:\n  base_url: https://me:pw_SECRET@api.cursor.com\n",
                        "cursor.base_url: must not contain user info; the key belongs in api_key"),
                // ---- paths
                env("directory file missing", List.of(
                                "CURSOR_EXPORTER_DIRECTORY_FILE: cannot read '$TMP/people.csv': no such file"),
                        "CURSOR_EXPORTER_DIRECTORY_FILE", "$TMP/people.csv"),
                yaml("directory file is a directory", "directory:\n  file: $TMP\n",
                        "directory.file: cannot read '$TMP': is a directory"),
                env("data dir is a file", List.of("CURSOR_EXPORTER_DATA_DIR: '$TMP/key.txt' is a file, not a directory"),
                        "CURSOR_EXPORTER_DATA_DIR", "$TMP/key.txt"),
                // ---- accounts
                yaml("account rate limit out of range",
                        "accounts:\n  - name: a\n    api_key: k1_SECRET\n    rate_limits:\n      admin: 5000\n",
                        "accounts[0].rate_limits.admin: must be an integer from 1 to 1000, got '5000'"),
                yaml("account rate limit of an unknown family",
                        "accounts:\n  - name: a\n    api_key: k1_SECRET\n    rate_limits:\n      admn: 10\n",
                        "unknown key 'accounts[0].rate_limits.admn'"),
                yaml("duplicate account name", "accounts:\n  - name: a\n    api_key: k1_SECRET\n  - name: a\n    api_key: k2_SECRET\n",
                        "accounts[1].name: duplicate account name 'a'"),
                yaml("account name with capitals", "accounts:\n  - name: Prod EU\n    api_key: k_SECRET\n",
                        "accounts[0].name: must match [a-z0-9_-]+"),
                yaml("account name missing among several", "accounts:\n  - name: a\n    api_key: k1_SECRET\n  - api_key: k2_SECRET\n",
                        "accounts[1].name: required when several accounts are configured"),
                yaml("account without key", "accounts:\n  - name: a\n    api_key: k1_SECRET\n  - name: b\n",
                        "accounts[1]: needs api_key or api_key_file"),
                yaml("account key file blank", "accounts:\n  - name: a\n    api_key_file: $TMP/blank.txt\n",
                        "accounts[0].api_key_file: file '$TMP/blank.txt' is empty"),
                yaml("cursor and accounts", "cursor:\n  api_key: k_SECRET\naccounts:\n  - name: a\n    api_key: k1_SECRET\n",
                        "cursor and accounts are both set; set one"),
                yaml("empty account list", "accounts: []\n", "accounts: must list at least one account"),
                new Case("environment key with several accounts",
                        Map.of("CURSOR_API_KEY", "key_SECRET_env", "CURSOR_API_BASE_URL", "http://localhost:1"),
                        "accounts:\n  - name: a\n    api_key: k1_SECRET\n  - name: b\n    api_key: k2_SECRET\n",
                        List.of("CURSOR_API_KEY: applies to a single account, but accounts lists 2; set it per account in the YAML file",
                                "CURSOR_API_BASE_URL: applies to a single account, but accounts lists 2; set it per account in the YAML file")),
                // ---- the file itself and its shape
                env("config file missing", List.of("CURSOR_EXPORTER_CONFIG: cannot read '$TMP/nope.yaml': no such file"),
                        "CURSOR_EXPORTER_CONFIG", "$TMP/nope.yaml"),
                env("config file is a directory", List.of("CURSOR_EXPORTER_CONFIG: cannot read '$TMP': is a directory"),
                        "CURSOR_EXPORTER_CONFIG", "$TMP"),
                yaml("invalid YAML hides the line's content", "server:\n  port: 80\ncursor:\n  api_key: key_SECRET: x\n",
                        "$TMP/c.yaml: invalid YAML at line 4, column 22: mapping values are not allowed here"),
                yaml("unterminated quote", "cursor:\n  api_key: \"key_SECRET\n",
                        "$TMP/c.yaml: invalid YAML at line 3, column 1: found unexpected end of stream "
                                + "(while scanning a quoted scalar started at line 2, column 12)"),
                yaml("duplicate YAML key", "server:\n  port: 80\n  port: 81\n",
                        "$TMP/c.yaml: invalid YAML at line 3, column 7: duplicate key 'port'"),
                yaml("top level is a list", "- a\n- b\n",
                        "$TMP/c.yaml: must be a mapping of settings at the top level, got a list"),
                yaml("unknown keys at every depth", """
                                sync:
                                  backfil_days: 3
                                  intervals:
                                    billing_group: 1h
                                budget: {}
                                accounts:
                                  - name: a
                                    apikey: k_SECRET
                                """,
                        "unknown key 'sync.backfil_days'",
                        "unknown key 'sync.intervals.billing_group'",
                        "unknown key 'budget'",
                        "unknown key 'accounts[0].apikey'",
                        "accounts[0]: needs api_key or api_key_file"),
                yaml("wrong types", """
                                server: 5
                                sync:
                                  intervals: [1h]
                                  backfill_days: {a: 1}
                                metrics:
                                  user_label: [email]
                                accounts:
                                  - just-a-name
                                  - name: b
                                    api_key: [k_SECRET]
                                """,
                        "server: must be a mapping, got a number",
                        "sync.intervals: must be a mapping, got a list",
                        "sync.backfill_days: must be a single value, got a mapping",
                        "metrics.user_label: must be a single value, got a list",
                        "accounts[0]: must be a mapping, got a string",
                        "accounts[1].api_key: must be a string, got a list"),
                yaml("accounts not a list", "accounts:\n  name: a\n", "accounts: must be a list, got a mapping"),
                // ---- several at once, in a stable order: the file's shape, then each setting
                new Case("several problems at once",
                        Map.of("CURSOR_EXPORTER_BACKFILL_DAYS", "400", "CURSOR_EXPORTER_PORT", "http",
                                "CURSOR_API_KEY", "key_SECRET_env", "CURSOR_API_KEY_FILE", "$TMP/key.txt",
                                "CURSOR_EXPORTER_USER_LABEL", "hash"),
                        "sync:\n  backfil_days: 3\n  intervals:\n    spend: often\nstore:\n  url: jdbc:mysql://db/x\n",
                        List.of("unknown key 'sync.backfil_days'",
                                "CURSOR_EXPORTER_PORT: must be an integer from 1 to 65535, got 'http'",
                                "store.url: only jdbc:sqlite: and jdbc:postgresql:// URLs are supported, got 'jdbc:mysql://db/x'",
                                "CURSOR_EXPORTER_BACKFILL_DAYS: must be an integer from 1 to 365, got '400'",
                                "sync.intervals.spend: must be a duration like 30s, 15m or 1h, got 'often'",
                                "CURSOR_API_KEY and CURSOR_API_KEY_FILE are both set; set one")));
    }

    @BeforeEach
    void scratchFiles() throws IOException {
        Files.writeString(tmp.resolve("key.txt"), "key_SECRET_file\n");
        Files.writeString(tmp.resolve("blank.txt"), " \n\t\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsEveryProblemExactly(Case c) throws IOException {
        Map<String, String> env = new HashMap<>();
        c.env().forEach((k, v) -> env.put(k, here(v)));
        if (c.yaml() != null) {
            env.put("CURSOR_EXPORTER_CONFIG", Files.writeString(tmp.resolve("c.yaml"), here(c.yaml())).toString());
        }
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env));

        assertEquals(c.problems().stream().map(this::here).toList(), e.problems());
        assertEquals(String.join("\n", e.problems()), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), "a secret leaked into: " + e.getMessage());
    }

    private String here(String text) {
        return text.replace("$TMP", tmp.toString());
    }

    private static Case env(String name, List<String> problems, String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return new Case(name, env, null, problems);
    }

    private static Case yaml(String name, String yaml, String... problems) {
        return new Case(name, Map.of(), yaml, List.of(problems));
    }
}
