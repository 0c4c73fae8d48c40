package dev.cursorexporter.config;

import dev.cursorexporter.model.DirectoryRule;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.Source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.cursorexporter.config.ValueParsers.accountName;
import static dev.cursorexporter.config.ValueParsers.basicAuthUser;
import static dev.cursorexporter.config.ValueParsers.bindAddress;
import static dev.cursorexporter.config.ValueParsers.bool;
import static dev.cursorexporter.config.ValueParsers.directory;
import static dev.cursorexporter.config.ValueParsers.duration;
import static dev.cursorexporter.config.ValueParsers.httpUrl;
import static dev.cursorexporter.config.ValueParsers.integer;
import static dev.cursorexporter.config.ValueParsers.oneOf;
import static dev.cursorexporter.config.ValueParsers.readableFile;
import static dev.cursorexporter.config.ValueParsers.secret;
import static dev.cursorexporter.config.ValueParsers.secretFile;
import static dev.cursorexporter.config.ValueParsers.size;
import static dev.cursorexporter.config.ValueParsers.storeUrl;

/**
 * The table of configuration keys: each declared once with its YAML path, its environment variable (if any), its
 * parser with the allowed range, and its default. The YAML reader ({@link YamlSettings}) knows the file's shape from
 * it, the environment reader ({@link EnvironmentSettings}) the variables, and {@link ConfigLoader} reads each value
 * through it; the README's configuration table lists exactly these keys (ConfigKeysTest). Names are a public
 * contract: never rename one.
 */
final class ConfigKeys {
    /** The YAML file; not a setting but where the settings are. */
    static final String CONFIG_FILE = "CURSOR_EXPORTER_CONFIG";

    // ---- server ------------------------------------------------------------------------------------------------
    static final ConfigKey<Integer> PORT = scalar("server.port", "CURSOR_EXPORTER_PORT", integer(1, 65535), 9464);
    /** No default: all interfaces, as before the key existed. The OTLP receiver listens on it too. */
    static final ConfigKey<String> BIND_ADDRESS =
            string("server.bind_address", "CURSOR_EXPORTER_BIND_ADDRESS", bindAddress());
    static final ConfigKey<Secret> AUTH_TOKEN = string("server.auth_token", "CURSOR_EXPORTER_AUTH_TOKEN", secret());
    static final ConfigKey<Secret> AUTH_TOKEN_FILE =
            string("server.auth_token_file", "CURSOR_EXPORTER_AUTH_TOKEN_FILE", secretFile());
    static final ConfigKey<String> BASIC_AUTH_USER =
            string("server.basic_auth.user", "CURSOR_EXPORTER_BASIC_AUTH_USER", basicAuthUser());
    static final ConfigKey<Secret> BASIC_AUTH_PASSWORD =
            string("server.basic_auth.password", "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD", secret());
    static final ConfigKey<Secret> BASIC_AUTH_PASSWORD_FILE =
            string("server.basic_auth.password_file", "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE", secretFile());

    // ---- log ---------------------------------------------------------------------------------------------------
    static final ConfigKey<LogConfig.Level> LOG_LEVEL =
            scalar("log.level", "CURSOR_EXPORTER_LOG_LEVEL", oneOf(LogConfig.Level.class), LogConfig.Level.INFO);
    static final ConfigKey<LogConfig.Format> LOG_FORMAT =
            scalar("log.format", "CURSOR_EXPORTER_LOG_FORMAT", oneOf(LogConfig.Format.class), LogConfig.Format.TEXT);

    // ---- otlp: the receiver of Cursor's OpenTelemetry Export, on only with a token -------------------------------
    static final ConfigKey<Integer> OTLP_PORT =
            scalar("otlp.port", "CURSOR_EXPORTER_OTLP_PORT", integer(1, 65535), 4318);
    static final ConfigKey<Secret> OTLP_TOKEN = string("otlp.token", "CURSOR_EXPORTER_OTLP_TOKEN", secret());
    static final ConfigKey<Secret> OTLP_TOKEN_FILE =
            string("otlp.token_file", "CURSOR_EXPORTER_OTLP_TOKEN_FILE", secretFile());
    /** Before and after gunzip; Cursor's batches are far smaller (a minute of a team's deltas and events). */
    static final ConfigKey<Long> OTLP_MAX_BODY_SIZE = scalar("otlp.max_body_size",
            "CURSOR_EXPORTER_OTLP_MAX_BODY_SIZE", size(64L << 10, 256L << 20), 4L << 20);
    /**
     * How long the receiver may receive nothing before CursorOtlpSilent fires (it reads
     * {@code cursor_exporter_otlp_silent_after_seconds}): Cursor exports within about a minute of activity, so less
     * than 5 minutes would only measure its batching; more than 30 days is a typo.
     */
    static final ConfigKey<Duration> OTLP_SILENT_AFTER = scalar("otlp.silent_after",
            "CURSOR_EXPORTER_OTLP_SILENT_AFTER", duration(Duration.ofMinutes(5), Duration.ofDays(30)),
            Duration.ofHours(1));

    // ---- store -------------------------------------------------------------------------------------------------
    static final ConfigKey<Path> DATA_DIR =
            string("store.data_dir", "CURSOR_EXPORTER_DATA_DIR", directory(), Path.of("./data"));
    static final ConfigKey<String> STORE_URL = string("store.url", "CURSOR_EXPORTER_STORE_URL", storeUrl());
    /** The PostgreSQL store's password; only with a {@code jdbc:postgresql://} URL. */
    static final ConfigKey<Secret> STORE_PASSWORD =
            string("store.password", "CURSOR_EXPORTER_STORE_PASSWORD", secret());
    static final ConfigKey<Secret> STORE_PASSWORD_FILE =
            string("store.password_file", "CURSOR_EXPORTER_STORE_PASSWORD_FILE", secretFile());

    // ---- sync --------------------------------------------------------------------------------------------------
    static final ConfigKey<Integer> BACKFILL_DAYS =
            scalar("sync.backfill_days", "CURSOR_EXPORTER_BACKFILL_DAYS", integer(1, 365), 30);
    static final ConfigKey<Integer> LOOKBACK_DAYS =
            scalar("sync.lookback_days", "CURSOR_EXPORTER_LOOKBACK_DAYS", integer(0, 7), 2);
    /** {@code sync.intervals.<source label>}, defaults {@link Source#defaultInterval()}. */
    static final Map<Source, ConfigKey<Duration>> INTERVALS = perConstant(Source.class, source ->
            scalar("sync.intervals." + source.label(), null, duration(Duration.ofMinutes(1)),
                    source.defaultInterval()));
    /**
     * {@code sync.rate_limits.<family>}, defaults {@link BudgetFamily#defaultPerMinute()}; at most 1000, far above
     * any published limit, so that a typo like 6000 for 60 does not silently disable pacing.
     */
    static final Map<BudgetFamily, ConfigKey<Integer>> RATE_LIMITS = perConstant(BudgetFamily.class, family ->
            scalar("sync.rate_limits." + family.key(), null, integer(1, 1000), family.defaultPerMinute()));
    static final ConfigKey<Long> MAX_ANSWER_SIZE = scalar("sync.max_answer_size", "CURSOR_EXPORTER_MAX_ANSWER_SIZE",
            size(64L << 10, 1L << 30), ClientSettings.DEFAULT_MAX_ANSWER_BYTES);

    // ---- cursor: the one account, when accounts: does not list several -----------------------------------------
    static final ConfigKey<Secret> API_KEY = string("cursor.api_key", "CURSOR_API_KEY", secret());
    static final ConfigKey<Secret> API_KEY_FILE = string("cursor.api_key_file", "CURSOR_API_KEY_FILE", secretFile());
    static final ConfigKey<URI> BASE_URL =
            string("cursor.base_url", "CURSOR_API_BASE_URL", httpUrl(), URI.create("https://api.cursor.com"));

    static final ConfigKey<Boolean> DEMO = scalar("demo", "CURSOR_EXPORTER_DEMO", bool(), false);

    // ---- directory ---------------------------------------------------------------------------------------------
    static final ConfigKey<Path> DIRECTORY_FILE =
            string("directory.file", "CURSOR_EXPORTER_DIRECTORY_FILE", readableFile());
    static final TreeKey<List<DirectoryRule>> DIRECTORY_RULES =
            new TreeKey<>("directory.rules", DirectoryRulesParser::parse);
    static final ConfigKey<TeamSource> TEAM_SOURCE =
            scalar("directory.team_source", null, oneOf(TeamSource.class), TeamSource.DIRECTORY);

    // ---- metrics -----------------------------------------------------------------------------------------------
    static final ConfigKey<UserLabelMode> USER_LABEL =
            scalar("metrics.user_label", "CURSOR_EXPORTER_USER_LABEL", oneOf(UserLabelMode.class), UserLabelMode.EMAIL);
    static final ConfigKey<Secret> USER_LABEL_SALT =
            string("metrics.user_label_salt", "CURSOR_EXPORTER_USER_LABEL_SALT", secret());
    static final ConfigKey<Integer> MAX_SERIES_PER_METRIC = scalar("metrics.max_series_per_metric",
            "CURSOR_EXPORTER_MAX_SERIES_PER_METRIC", integer(100, 10_000_000), 50_000);
    static final ConfigKey<Integer> MAX_USERS = scalar("metrics.max_users", "CURSOR_EXPORTER_MAX_USERS",
            integer(1, 1_000_000), 2_000);
    static final ConfigKey<Integer> MAX_MODELS = scalar("metrics.max_models", "CURSOR_EXPORTER_MAX_MODELS",
            integer(1, 100_000), 100);

    // ---- budgets -----------------------------------------------------------------------------------------------
    static final TreeKey<Budgets> BUDGETS = new TreeKey<>("budgets", BudgetsParser::parse);

    // ---- accounts: a list; each entry's fields, by their path inside accounts[i] --------------------------------
    static final String ACCOUNTS = "accounts";
    /** Required when several accounts are listed; a single one is {@code default} unless named. */
    static final ConfigKey<String> ACCOUNT_NAME = string("name", null, accountName(), "default");
    static final ConfigKey<Secret> ACCOUNT_API_KEY = string("api_key", null, API_KEY.parser());
    static final ConfigKey<Secret> ACCOUNT_API_KEY_FILE = string("api_key_file", null, API_KEY_FILE.parser());
    static final ConfigKey<URI> ACCOUNT_BASE_URL =
            string("base_url", null, BASE_URL.parser(), BASE_URL.defaultValue());
    /** {@code accounts[i].rate_limits.<family>}: this account's own limit, over {@code sync.rate_limits}. */
    static final Map<BudgetFamily, ConfigKey<Integer>> ACCOUNT_RATE_LIMITS = perConstant(BudgetFamily.class, family ->
            scalar("rate_limits." + family.key(), null, RATE_LIMITS.get(family).parser(), family.defaultPerMinute()));

    /** Every key with a single value, by section, in the order of the README's table. */
    static final List<ConfigKey<?>> VALUES = values();
    /** Every key whose value is a structure. */
    static final List<TreeKey<?>> TREES = List.of(DIRECTORY_RULES, BUDGETS);
    /** The fields of an entry of {@code accounts}. */
    static final List<ConfigKey<?>> ACCOUNT_FIELDS = accountFields();

    private ConfigKeys() {
    }

    private static List<ConfigKey<?>> values() {
        List<ConfigKey<?>> all = new ArrayList<>(List.of(PORT, BIND_ADDRESS, AUTH_TOKEN, AUTH_TOKEN_FILE, BASIC_AUTH_USER,
                BASIC_AUTH_PASSWORD, BASIC_AUTH_PASSWORD_FILE, OTLP_PORT, OTLP_TOKEN, OTLP_TOKEN_FILE,
                OTLP_MAX_BODY_SIZE, OTLP_SILENT_AFTER, DATA_DIR, STORE_URL, STORE_PASSWORD, STORE_PASSWORD_FILE,
                BACKFILL_DAYS, LOOKBACK_DAYS));
        all.addAll(INTERVALS.values());
        all.addAll(RATE_LIMITS.values());
        all.addAll(List.of(MAX_ANSWER_SIZE, API_KEY, API_KEY_FILE, BASE_URL, DEMO, DIRECTORY_FILE, TEAM_SOURCE,
                USER_LABEL, USER_LABEL_SALT, MAX_SERIES_PER_METRIC, MAX_USERS, MAX_MODELS, LOG_LEVEL, LOG_FORMAT));
        return List.copyOf(all);
    }

    private static List<ConfigKey<?>> accountFields() {
        List<ConfigKey<?>> all = new ArrayList<>(List.of(ACCOUNT_NAME, ACCOUNT_API_KEY, ACCOUNT_API_KEY_FILE,
                ACCOUNT_BASE_URL));
        all.addAll(ACCOUNT_RATE_LIMITS.values());
        return List.copyOf(all);
    }

    private static <T> ConfigKey<T> scalar(String path, String env, ValueParser<T> parser, T fallback) {
        return new ConfigKey<>(path, Optional.ofNullable(env), ConfigKey.YamlValue.SCALAR, parser,
                Optional.of(fallback));
    }

    private static <T> ConfigKey<T> string(String path, String env, ValueParser<T> parser, T fallback) {
        return new ConfigKey<>(path, Optional.ofNullable(env), ConfigKey.YamlValue.STRING, parser,
                Optional.of(fallback));
    }

    /** A YAML string without a default: the setting is optional. */
    private static <T> ConfigKey<T> string(String path, String env, ValueParser<T> parser) {
        return new ConfigKey<>(path, Optional.ofNullable(env), ConfigKey.YamlValue.STRING, parser, Optional.empty());
    }

    private static <E extends Enum<E>, T> Map<E, ConfigKey<T>> perConstant(Class<E> type,
                                                                          Function<E, ConfigKey<T>> key) {
        Map<E, ConfigKey<T>> out = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            out.put(constant, key.apply(constant));
        }
        return Collections.unmodifiableMap(out);
    }
}
