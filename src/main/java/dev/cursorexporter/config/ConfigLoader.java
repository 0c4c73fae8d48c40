package dev.cursorexporter.config;

import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.model.DirectoryRule;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.Source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static dev.cursorexporter.config.ConfigKeys.ACCOUNT_API_KEY;
import static dev.cursorexporter.config.ConfigKeys.ACCOUNT_API_KEY_FILE;
import static dev.cursorexporter.config.ConfigKeys.ACCOUNT_BASE_URL;
import static dev.cursorexporter.config.ConfigKeys.ACCOUNT_NAME;
import static dev.cursorexporter.config.ConfigKeys.ACCOUNT_RATE_LIMITS;
import static dev.cursorexporter.config.ConfigKeys.API_KEY;
import static dev.cursorexporter.config.ConfigKeys.API_KEY_FILE;
import static dev.cursorexporter.config.ConfigKeys.AUTH_TOKEN;
import static dev.cursorexporter.config.ConfigKeys.AUTH_TOKEN_FILE;
import static dev.cursorexporter.config.ConfigKeys.BACKFILL_DAYS;
import static dev.cursorexporter.config.ConfigKeys.BASE_URL;
import static dev.cursorexporter.config.ConfigKeys.BASIC_AUTH_PASSWORD;
import static dev.cursorexporter.config.ConfigKeys.BASIC_AUTH_PASSWORD_FILE;
import static dev.cursorexporter.config.ConfigKeys.BASIC_AUTH_USER;
import static dev.cursorexporter.config.ConfigKeys.BIND_ADDRESS;
import static dev.cursorexporter.config.ConfigKeys.BUDGETS;
import static dev.cursorexporter.config.ConfigKeys.DATA_DIR;
import static dev.cursorexporter.config.ConfigKeys.DEMO;
import static dev.cursorexporter.config.ConfigKeys.DIRECTORY_FILE;
import static dev.cursorexporter.config.ConfigKeys.DIRECTORY_RULES;
import static dev.cursorexporter.config.ConfigKeys.INTERVALS;
import static dev.cursorexporter.config.ConfigKeys.LOG_FORMAT;
import static dev.cursorexporter.config.ConfigKeys.LOG_LEVEL;
import static dev.cursorexporter.config.ConfigKeys.LOOKBACK_DAYS;
import static dev.cursorexporter.config.ConfigKeys.MAX_ANSWER_SIZE;
import static dev.cursorexporter.config.ConfigKeys.MAX_MODELS;
import static dev.cursorexporter.config.ConfigKeys.MAX_SERIES_PER_METRIC;
import static dev.cursorexporter.config.ConfigKeys.MAX_USERS;
import static dev.cursorexporter.config.ConfigKeys.OTLP_MAX_BODY_SIZE;
import static dev.cursorexporter.config.ConfigKeys.OTLP_PORT;
import static dev.cursorexporter.config.ConfigKeys.OTLP_SILENT_AFTER;
import static dev.cursorexporter.config.ConfigKeys.OTLP_TOKEN;
import static dev.cursorexporter.config.ConfigKeys.OTLP_TOKEN_FILE;
import static dev.cursorexporter.config.ConfigKeys.PORT;
import static dev.cursorexporter.config.ConfigKeys.RATE_LIMITS;
import static dev.cursorexporter.config.ConfigKeys.STORE_PASSWORD;
import static dev.cursorexporter.config.ConfigKeys.STORE_PASSWORD_FILE;
import static dev.cursorexporter.config.ConfigKeys.STORE_URL;
import static dev.cursorexporter.config.ConfigKeys.TEAM_SOURCE;
import static dev.cursorexporter.config.ConfigKeys.USER_LABEL;
import static dev.cursorexporter.config.ConfigKeys.USER_LABEL_SALT;

/**
 * Builds the {@link ExporterConfig} once at start: the optional YAML file named by {@code CURSOR_EXPORTER_CONFIG},
 * then environment variables over it, each value read through the table of keys ({@link ConfigKeys}). Every problem
 * is collected before failing, one line each, naming the key the way the user wrote it. Blank environment variables
 * and blank YAML values count as unset. Relative paths resolve against the working directory.
 */
public final class ConfigLoader {
    private final EnvironmentSettings env;
    private final List<String> problems = new ArrayList<>();
    private YamlSettings yaml = YamlSettings.NONE;

    private ConfigLoader(EnvironmentSettings env) {
        this.env = env;
    }

    /**
     * @param env the process environment (pass {@code System.getenv()}); only the variables of the table are read
     * @throws ConfigException listing every problem found
     */
    public static ExporterConfig load(Map<String, String> env) throws ConfigException {
        return load(env, List.of());
    }

    /**
     * As {@link #load(Map)}, with command-line flags over the environment: flag, then environment variable, then
     * YAML, then default. A problem with a flag's value names the flag.
     */
    public static ExporterConfig load(Map<String, String> env, List<ConfigFlag> flags) throws ConfigException {
        return new ConfigLoader(EnvironmentSettings.read(env, flags)).build();
    }

    /** Reads in a fixed order, which is the order of the problem lines after the file's own. */
    private ExporterConfig build() throws ConfigException {
        env.configFile().ifPresent(file -> yaml = YamlSettings.read(file, problems));
        int port = value(PORT);
        Optional<String> bindAddress = optional(BIND_ADDRESS);
        Optional<Secret> authToken = secret(AUTH_TOKEN, AUTH_TOKEN_FILE);
        Optional<BasicAuthConfig> basicAuth = basicAuth();
        OtlpConfig otlp = new OtlpConfig(value(OTLP_PORT), secret(OTLP_TOKEN, OTLP_TOKEN_FILE),
                value(OTLP_MAX_BODY_SIZE), value(OTLP_SILENT_AFTER));
        Path dataDir = value(DATA_DIR);
        Optional<String> storeUrl = optional(STORE_URL);
        Optional<Secret> storePassword = storePassword(storeUrl);
        int backfillDays = value(BACKFILL_DAYS);
        int lookbackDays = value(LOOKBACK_DAYS);
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        INTERVALS.forEach((source, key) -> intervals.put(source, value(key)));
        Map<BudgetFamily, Integer> rateLimits = new EnumMap<>(BudgetFamily.class);
        RATE_LIMITS.forEach((family, key) -> rateLimits.put(family, value(key)));
        List<AccountConfig> accounts = accounts();
        boolean demo = value(DEMO) || accounts.isEmpty();
        Optional<Path> directoryFile = optional(DIRECTORY_FILE);
        UserLabelMode userLabel = value(USER_LABEL);
        // optional in hash mode too: without one the exporter generates a salt and keeps it in the store
        Optional<Secret> salt = optional(USER_LABEL_SALT);
        Budgets budgets = BUDGETS.parser().parse(yaml.tree(BUDGETS.path()), problems);
        List<DirectoryRule> rules = DIRECTORY_RULES.parser().parse(yaml.tree(DIRECTORY_RULES.path()), problems);
        TeamSource teamSource = value(TEAM_SOURCE);
        int maxSeries = value(MAX_SERIES_PER_METRIC);
        int maxUsers = value(MAX_USERS);
        int maxModels = value(MAX_MODELS);
        long maxAnswerBytes = value(MAX_ANSWER_SIZE);
        LogConfig log = new LogConfig(value(LOG_LEVEL), value(LOG_FORMAT));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ExporterConfig(new ServerConfig(port, authToken, basicAuth, bindAddress), new StoreConfig(dataDir, storeUrl, storePassword),
                new SyncConfig(backfillDays, lookbackDays, intervals, rateLimits, maxAnswerBytes), accounts, demo,
                new DirectoryConfig(directoryFile, rules, teamSource), new MetricsConfig(userLabel, salt, maxSeries, maxUsers, maxModels),
                budgets, otlp, log);
    }

    // ---- accounts ----------------------------------------------------------------------------------------------

    private List<AccountConfig> accounts() {
        Optional<List<YamlSettings.AccountEntry>> listed = yaml.accounts();
        if (yaml.hasSection(ConfigKeys.ACCOUNTS) && yaml.hasSection("cursor")) {
            problems.add("cursor and " + ConfigKeys.ACCOUNTS + " are both set; set one");
            return List.of();
        }
        if (listed.isEmpty()) {
            // the `cursor:` section or nothing: one account, and no key at all means demo mode
            Optional<Secret> key = secret(API_KEY, API_KEY_FILE);
            URI baseUrl = value(BASE_URL);
            return key.map(k -> List.of(new AccountConfig(ACCOUNT_NAME.defaultValue(), k, baseUrl)))
                    .orElse(List.of());
        }
        List<YamlSettings.AccountEntry> entries = listed.get();
        if (yaml.accountsDeclared() == 0) {
            problems.add(ConfigKeys.ACCOUNTS + ": must list at least one account");
            return List.of();
        }
        boolean single = yaml.accountsDeclared() == 1;
        if (!single) {
            for (ConfigKey<?> key : List.of(API_KEY, API_KEY_FILE, BASE_URL)) {
                Setting variable = env.get(key);
                if (variable != null) {
                    problems.add(variable.key() + ": applies to a single account, but accounts lists "
                            + yaml.accountsDeclared() + "; set it per account in the YAML file");
                }
            }
        }
        List<AccountConfig> accounts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (YamlSettings.AccountEntry fields : entries) {
            String prefix = fields.path();
            String name = accountName(fields.get(ACCOUNT_NAME.path()), prefix, single, seen);
            int before = problems.size();
            Setting yamlKey = fields.get(ACCOUNT_API_KEY.path());
            Setting yamlKeyFile = fields.get(ACCOUNT_API_KEY_FILE.path());
            // the environment fills a single listed account, as it fills the cursor: section
            Optional<Secret> key = single ? secret(API_KEY, API_KEY_FILE, yamlKey, yamlKeyFile)
                    : secret(ACCOUNT_API_KEY, yamlKey, ACCOUNT_API_KEY_FILE, yamlKeyFile);
            boolean keyRejected = yaml.rejected(prefix + "." + ACCOUNT_API_KEY.path())
                    || yaml.rejected(prefix + "." + ACCOUNT_API_KEY_FILE.path());
            if (key.isEmpty() && problems.size() == before && !keyRejected) {
                problems.add(prefix + ": needs " + ACCOUNT_API_KEY.path() + " or " + ACCOUNT_API_KEY_FILE.path());
            }
            Setting baseUrlSetting = fields.get(ACCOUNT_BASE_URL.path());
            if (single && env.get(BASE_URL) != null) {
                baseUrlSetting = env.get(BASE_URL);
            }
            URI baseUrl = parse(ACCOUNT_BASE_URL, baseUrlSetting).orElse(ACCOUNT_BASE_URL.defaultValue());
            Map<BudgetFamily, Integer> limits = new EnumMap<>(BudgetFamily.class);
            ACCOUNT_RATE_LIMITS.forEach((family, limit) ->
                    parse(limit, fields.get(limit.path())).ifPresent(perMinute -> limits.put(family, perMinute)));
            if (name != null && key.isPresent()) {
                accounts.add(new AccountConfig(name, key.get(), baseUrl, limits));
            }
        }
        return accounts;
    }

    private String accountName(Setting setting, String prefix, boolean single, Set<String> seen) {
        if (setting == null) {
            if (single) {
                return ACCOUNT_NAME.defaultValue();
            }
            problems.add(prefix + "." + ACCOUNT_NAME.path() + ": required when several accounts are configured");
            return null;
        }
        Optional<String> name = parse(ACCOUNT_NAME, setting);
        if (name.isPresent() && !seen.add(name.get())) {
            problems.add(setting.key() + ": duplicate account name " + Redaction.quote(name.get()));
            return null;
        }
        return name.orElse(null);
    }

    // ---- secrets -----------------------------------------------------------------------------------------------

    private Optional<Secret> secret(ConfigKey<Secret> direct, ConfigKey<Secret> file) {
        return secret(direct, file, yaml.get(direct.path()), yaml.get(file.path()));
    }

    /**
     * The environment pair of {@code direct} and {@code file} wins as a whole over the pair written in YAML, so that
     * a key file in YAML can be replaced by a key.
     */
    private Optional<Secret> secret(ConfigKey<Secret> direct, ConfigKey<Secret> file, Setting yamlDirect,
                                    Setting yamlFile) {
        Setting envDirect = env.get(direct);
        Setting envFile = env.get(file);
        return envDirect != null || envFile != null ? secret(direct, envDirect, file, envFile)
                : secret(direct, yamlDirect, file, yamlFile);
    }

    /** The secret given directly or in a file, which are exclusive. */
    private Optional<Secret> secret(ConfigKey<Secret> directKey, Setting direct, ConfigKey<Secret> fileKey,
                                    Setting file) {
        if (direct != null && file != null) {
            problems.add(direct.key() + " and " + file.key() + " are both set; set one");
            return Optional.empty();
        }
        return direct != null ? parse(directKey, direct) : parse(fileKey, file);
    }

    /** The PostgreSQL store's password: only where the URL names a PostgreSQL server. */
    private Optional<Secret> storePassword(Optional<String> storeUrl) {
        Setting given = setting(STORE_PASSWORD, STORE_PASSWORD_FILE);
        Optional<Secret> password = secret(STORE_PASSWORD, STORE_PASSWORD_FILE);
        boolean postgresql = storeUrl.filter(u -> u.startsWith(ValueParsers.POSTGRESQL_URL)).isPresent();
        if (password.isPresent() && !postgresql && !yaml.rejected(STORE_URL.path())
                && (setting(STORE_URL) == null || storeUrl.isPresent())) {
            problems.add(given.key() + ": applies only to a PostgreSQL store, but " + sameSource(STORE_URL, given)
                    + " is not a " + ValueParsers.POSTGRESQL_URL + " URL");
            return Optional.empty();
        }
        return password;
    }

    /** User and password both, or neither. */
    private Optional<BasicAuthConfig> basicAuth() {
        Setting user = setting(BASIC_AUTH_USER);
        Setting password = setting(BASIC_AUTH_PASSWORD, BASIC_AUTH_PASSWORD_FILE);
        int before = problems.size();
        Optional<Secret> secret = secret(BASIC_AUTH_PASSWORD, BASIC_AUTH_PASSWORD_FILE);
        if (problems.size() > before || yaml.rejected(BASIC_AUTH_PASSWORD.path())
                || yaml.rejected(BASIC_AUTH_PASSWORD_FILE.path()) || yaml.rejected(BASIC_AUTH_USER.path())) {
            return Optional.empty();
        }
        if (user == null && secret.isEmpty()) {
            return Optional.empty();
        }
        if (user == null) {
            problems.add(sameSource(BASIC_AUTH_USER, password) + ": required when " + password.key() + " is set");
            return Optional.empty();
        }
        if (secret.isEmpty()) {
            problems.add(sameSource(BASIC_AUTH_PASSWORD, user) + " or " + sameSource(BASIC_AUTH_PASSWORD_FILE, user)
                    + ": required when " + user.key() + " is set");
            return Optional.empty();
        }
        return parse(BASIC_AUTH_USER, user).map(name -> new BasicAuthConfig(name, secret.get()));
    }

    // ---- layering ----------------------------------------------------------------------------------------------

    /** The value of {@code key} as written, else its default; a refused value is reported and the default stands in. */
    private <T> T value(ConfigKey<T> key) {
        return optional(key).orElseGet(key::defaultValue);
    }

    /** The value of {@code key} when written and valid; a refused value is reported. */
    private <T> Optional<T> optional(ConfigKey<T> key) {
        return parse(key, setting(key));
    }

    private <T> Optional<T> parse(ConfigKey<T> key, Setting setting) {
        if (setting == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(key.parser().parse(setting.value()));
        } catch (ValueParser.Invalid e) {
            problems.add(setting.key() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The environment variable when set, else the YAML value, else null. */
    private Setting setting(ConfigKey<?> key) {
        Setting fromEnv = env.get(key);
        return fromEnv != null ? fromEnv : yaml.get(key.path());
    }

    /** Of a secret given directly or in a file, the setting that gives it, with the environment first. */
    private Setting setting(ConfigKey<Secret> direct, ConfigKey<Secret> file) {
        return Stream.of(env.get(direct), env.get(file), yaml.get(direct.path()), yaml.get(file.path()))
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * How to name {@code key} in a problem about {@code other}: as the environment variable when {@code other} came
     * from the environment, else as its YAML path, so that the line speaks the language the user wrote in.
     */
    private static String sameSource(ConfigKey<?> key, Setting other) {
        boolean fromEnv = ConfigKeys.VALUES.stream().anyMatch(k -> k.env().filter(other.key()::equals).isPresent());
        return fromEnv ? key.env().orElseThrow() : key.path();
    }
}
