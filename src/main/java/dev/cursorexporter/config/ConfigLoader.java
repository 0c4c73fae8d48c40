package dev.cursorexporter.config;

import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.Source;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the {@link ExporterConfig} once at start: the optional YAML file named by {@code CURSOR_EXPORTER_CONFIG},
 * then environment variables over it. Every problem is collected before failing, one line each, naming the key the
 * way the user wrote it. Blank environment variables and blank YAML values count as unset (compose files often pass
 * {@code CURSOR_API_KEY: ""}). Relative paths resolve against the working directory.
 */
public final class ConfigLoader {
    static final String CONFIG = "CURSOR_EXPORTER_CONFIG";
    static final String API_KEY = "CURSOR_API_KEY";
    static final String API_KEY_FILE = "CURSOR_API_KEY_FILE";
    static final String BASE_URL = "CURSOR_API_BASE_URL";
    static final String PORT = "CURSOR_EXPORTER_PORT";
    static final String DATA_DIR = "CURSOR_EXPORTER_DATA_DIR";
    static final String STORE_URL = "CURSOR_EXPORTER_STORE_URL";
    static final String BACKFILL_DAYS = "CURSOR_EXPORTER_BACKFILL_DAYS";
    static final String LOOKBACK_DAYS = "CURSOR_EXPORTER_LOOKBACK_DAYS";
    static final String DEMO = "CURSOR_EXPORTER_DEMO";
    static final String AUTH_TOKEN = "CURSOR_EXPORTER_AUTH_TOKEN";
    static final String AUTH_TOKEN_FILE = "CURSOR_EXPORTER_AUTH_TOKEN_FILE";
    static final String BASIC_AUTH_USER = "CURSOR_EXPORTER_BASIC_AUTH_USER";
    static final String BASIC_AUTH_PASSWORD = "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD";
    static final String BASIC_AUTH_PASSWORD_FILE = "CURSOR_EXPORTER_BASIC_AUTH_PASSWORD_FILE";
    static final String DIRECTORY_FILE = "CURSOR_EXPORTER_DIRECTORY_FILE";
    static final String USER_LABEL = "CURSOR_EXPORTER_USER_LABEL";
    static final String USER_LABEL_SALT = "CURSOR_EXPORTER_USER_LABEL_SALT";
    static final String MAX_SERIES = "CURSOR_EXPORTER_MAX_SERIES_PER_METRIC";
    static final String MAX_ANSWER_SIZE = "CURSOR_EXPORTER_MAX_ANSWER_SIZE";

    static final int DEFAULT_PORT = 9464;
    static final Path DEFAULT_DATA_DIR = Path.of("./data");
    static final int DEFAULT_BACKFILL_DAYS = 30;
    static final int DEFAULT_LOOKBACK_DAYS = 2;
    static final URI DEFAULT_BASE_URL = URI.create("https://api.cursor.com");
    static final String DEFAULT_ACCOUNT = "default";

    private static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    /** Far above any published limit; a typo like 6000 for 60 should not silently disable pacing. */
    static final int MAX_RATE_LIMIT = 1000;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,9}");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(KiB|MiB|GiB)?");
    static final long MIN_ANSWER_BYTES = 64L * 1024;
    static final long MAX_ANSWER_BYTES = 1024L * 1024 * 1024;
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9_-]+");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private YamlSettings yaml = YamlSettings.NONE;

    private ConfigLoader(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * @param env the process environment (pass {@code System.getenv()}); only the variables above are read
     * @throws ConfigException listing every problem found
     */
    public static ExporterConfig load(Map<String, String> env) throws ConfigException {
        return new ConfigLoader(env).build();
    }

    private ExporterConfig build() throws ConfigException {
        Setting configFile = fromEnv(CONFIG);
        if (configFile != null) {
            yaml = YamlSettings.read(configFile, problems);
        }
        int port = integer(pick(PORT, "server.port"), 1, 65535, DEFAULT_PORT);
        Optional<Secret> authToken = secret(AUTH_TOKEN, AUTH_TOKEN_FILE,
                yaml.get("server.auth_token"), yaml.get("server.auth_token_file"));
        Optional<BasicAuthConfig> basicAuth = basicAuth();
        Path dataDir = dataDir(pick(DATA_DIR, "store.data_dir"));
        Optional<String> storeUrl = storeUrl(pick(STORE_URL, "store.url"));
        int backfillDays = integer(pick(BACKFILL_DAYS, "sync.backfill_days"), 1, 365, DEFAULT_BACKFILL_DAYS);
        int lookbackDays = integer(pick(LOOKBACK_DAYS, "sync.lookback_days"), 0, 7, DEFAULT_LOOKBACK_DAYS);
        Map<Source, Duration> intervals = intervals();
        Map<BudgetFamily, Integer> rateLimits = rateLimits();
        List<AccountConfig> accounts = accounts();
        boolean demo = bool(pick(DEMO, "demo"), false) || accounts.isEmpty();
        Optional<Path> directoryFile = directoryFile(pick(DIRECTORY_FILE, "directory.file"));
        Setting labelSetting = pick(USER_LABEL, "metrics.user_label");
        UserLabelMode userLabel = userLabel(labelSetting);
        Optional<Secret> salt = Optional.ofNullable(pick(USER_LABEL_SALT, "metrics.user_label_salt"))
                .map(s -> new Secret(s.value().trim()));
        if (userLabel == UserLabelMode.HASH && salt.isEmpty() && !yaml.rejected("metrics.user_label_salt")) {
            String saltKey = labelSetting.key().equals(USER_LABEL) ? USER_LABEL_SALT : "metrics.user_label_salt";
            problems.add(saltKey + ": required when the user label is hash");
        }
        Budgets budgets = BudgetsParser.parse(yaml.tree("budgets"), problems);
        List<DirectoryRule> rules = DirectoryRulesParser.parse(yaml.tree("directory.rules"), problems);
        TeamSource teamSource = teamSource(yaml.get("directory.team_source"));
        int maxSeries = integer(pick(MAX_SERIES, "metrics.max_series_per_metric"), 100, 10_000_000,
                ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC);
        long maxAnswerBytes = size(pick(MAX_ANSWER_SIZE, "sync.max_answer_size"), MIN_ANSWER_BYTES,
                MAX_ANSWER_BYTES, ClientSettings.DEFAULT_MAX_ANSWER_BYTES);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ExporterConfig(new ServerConfig(port, authToken, basicAuth), new StoreConfig(dataDir, storeUrl),
                new SyncConfig(backfillDays, lookbackDays, intervals, rateLimits, maxAnswerBytes), accounts, demo,
                new DirectoryConfig(directoryFile, rules, teamSource), new MetricsConfig(userLabel, salt, maxSeries),
                budgets);
    }

    // ---- accounts ----------------------------------------------------------------------------------------------

    private List<AccountConfig> accounts() {
        Optional<List<YamlSettings.AccountEntry>> listed = yaml.accounts();
        if (yaml.hasSection("accounts") && yaml.hasSection("cursor")) {
            problems.add("cursor and accounts are both set; set one");
            return List.of();
        }
        if (listed.isEmpty()) {
            // the `cursor:` section or nothing: one account, and no key at all means demo mode
            Optional<Secret> key = secret(API_KEY, API_KEY_FILE,
                    yaml.get("cursor.api_key"), yaml.get("cursor.api_key_file"));
            URI baseUrl = baseUrl(pick(BASE_URL, "cursor.base_url"));
            return key.map(k -> List.of(new AccountConfig(DEFAULT_ACCOUNT, k, baseUrl))).orElse(List.of());
        }
        List<YamlSettings.AccountEntry> entries = listed.get();
        if (yaml.accountsDeclared() == 0) {
            problems.add("accounts: must list at least one account");
            return List.of();
        }
        boolean single = yaml.accountsDeclared() == 1;
        if (!single) {
            for (String variable : List.of(API_KEY, API_KEY_FILE, BASE_URL)) {
                if (fromEnv(variable) != null) {
                    problems.add(variable + ": applies to a single account, but accounts lists "
                            + yaml.accountsDeclared() + "; set it per account in the YAML file");
                }
            }
        }
        List<AccountConfig> accounts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (YamlSettings.AccountEntry fields : entries) {
            String prefix = fields.path();
            String name = accountName(fields.get("name"), prefix, single, seen);
            int before = problems.size();
            Optional<Secret> key = single
                    ? secret(API_KEY, API_KEY_FILE, fields.get("api_key"), fields.get("api_key_file"))
                    : secret(fields.get("api_key"), fields.get("api_key_file"));
            boolean keyRejected = yaml.rejected(prefix + ".api_key") || yaml.rejected(prefix + ".api_key_file");
            if (key.isEmpty() && problems.size() == before && !keyRejected) {
                problems.add(prefix + ": needs api_key or api_key_file");
            }
            Setting baseUrlSetting = single ? pickWith(BASE_URL, fields.get("base_url")) : fields.get("base_url");
            URI baseUrl = baseUrl(baseUrlSetting);
            Map<BudgetFamily, Integer> limits = new EnumMap<>(BudgetFamily.class);
            for (BudgetFamily family : BudgetFamily.values()) {
                Setting limit = fields.get("rate_limits." + family.key());
                if (limit != null) {
                    limits.put(family, integer(limit, 1, MAX_RATE_LIMIT, family.defaultPerMinute()));
                }
            }
            if (name != null && key.isPresent()) {
                accounts.add(new AccountConfig(name, key.get(), baseUrl, limits));
            }
        }
        return accounts;
    }

    private String accountName(Setting setting, String prefix, boolean single, Set<String> seen) {
        if (setting == null) {
            if (single) {
                return DEFAULT_ACCOUNT;
            }
            problems.add(prefix + ".name: required when several accounts are configured");
            return null;
        }
        String name = setting.value().trim();
        if (!ACCOUNT_NAME.matcher(name).matches()) {
            problems.add(setting.key() + ": must match [a-z0-9_-]+");
            return null;
        }
        if (!seen.add(name)) {
            problems.add(setting.key() + ": duplicate account name " + Redaction.quote(name));
            return null;
        }
        return name;
    }

    private URI baseUrl(Setting setting) {
        if (setting == null) {
            return DEFAULT_BASE_URL;
        }
        String text = setting.value().trim();
        String problem = setting.key() + ": must be an absolute http(s) URL, got " + Redaction.quote(Redaction.url(text));
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                problems.add(problem);
                return DEFAULT_BASE_URL;
            }
            if (uri.getRawUserInfo() != null) {
                problems.add(setting.key() + ": must not contain user info; the key belongs in api_key");
                return DEFAULT_BASE_URL;
            }
            // a trailing slash would double up when the client appends /teams/…
            return URI.create(text.replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            problems.add(problem);
            return DEFAULT_BASE_URL;
        }
    }

    // ---- secrets -----------------------------------------------------------------------------------------------

    /** The environment pair wins as a whole over the YAML pair, so a key file in YAML can be replaced by a key. */
    private Optional<Secret> secret(String envKey, String envFile, Setting yamlKey, Setting yamlFile) {
        Setting key = fromEnv(envKey);
        Setting file = fromEnv(envFile);
        return key != null || file != null ? secret(key, file) : secret(yamlKey, yamlFile);
    }

    private Optional<Secret> secret(Setting direct, Setting file) {
        if (direct != null && file != null) {
            problems.add(direct.key() + " and " + file.key() + " are both set; set one");
            return Optional.empty();
        }
        if (direct != null) {
            return Optional.of(new Secret(direct.value().trim()));
        }
        return file == null ? Optional.empty() : readSecretFile(file);
    }

    private Optional<Secret> readSecretFile(Setting file) {
        String shown = file.value();
        String cannotRead = file.key() + ": cannot read " + Redaction.quote(shown) + ": ";
        try {
            Path path = Path.of(shown);
            if (Files.isDirectory(path)) {
                problems.add(cannotRead + "is a directory");
                return Optional.empty();
            }
            String content = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).trim();
            if (content.isEmpty()) {
                problems.add(file.key() + ": file " + Redaction.quote(shown) + " is empty");
                return Optional.empty();
            }
            return Optional.of(SecretFile.reloading(path, content));
        } catch (InvalidPathException e) {
            problems.add(cannotRead + "invalid path");
        } catch (IOException e) {
            problems.add(cannotRead + FileReasons.of(e));
        }
        return Optional.empty();
    }

    /** User and password both, or neither; the user must not contain ':', which ends it in the header. */
    private Optional<BasicAuthConfig> basicAuth() {
        Setting user = pick(BASIC_AUTH_USER, "server.basic_auth.user");
        boolean passwordFromEnv = fromEnv(BASIC_AUTH_PASSWORD) != null || fromEnv(BASIC_AUTH_PASSWORD_FILE) != null;
        int before = problems.size();
        Optional<Secret> password = secret(BASIC_AUTH_PASSWORD, BASIC_AUTH_PASSWORD_FILE,
                yaml.get("server.basic_auth.password"), yaml.get("server.basic_auth.password_file"));
        if (problems.size() > before || yaml.rejected("server.basic_auth.password")
                || yaml.rejected("server.basic_auth.password_file") || yaml.rejected("server.basic_auth.user")) {
            return Optional.empty();
        }
        if (user == null && password.isEmpty()) {
            return Optional.empty();
        }
        if (user == null) {
            String passwordKey = passwordFromEnv
                    ? (fromEnv(BASIC_AUTH_PASSWORD) != null ? BASIC_AUTH_PASSWORD : BASIC_AUTH_PASSWORD_FILE)
                    : (yaml.get("server.basic_auth.password") != null ? "server.basic_auth.password"
                    : "server.basic_auth.password_file");
            problems.add((passwordFromEnv ? BASIC_AUTH_USER : "server.basic_auth.user") + ": required when "
                    + passwordKey + " is set");
            return Optional.empty();
        }
        if (password.isEmpty()) {
            boolean userFromEnv = user.key().equals(BASIC_AUTH_USER);
            problems.add((userFromEnv ? BASIC_AUTH_PASSWORD + " or " + BASIC_AUTH_PASSWORD_FILE
                    : "server.basic_auth.password or server.basic_auth.password_file")
                    + ": required when " + user.key() + " is set");
            return Optional.empty();
        }
        String name = user.value().trim();
        if (name.contains(":")) {
            problems.add(user.key() + ": must not contain ':'");
            return Optional.empty();
        }
        return Optional.of(new BasicAuthConfig(name, password.get()));
    }

    // ---- plain values ------------------------------------------------------------------------------------------

    private int integer(Setting setting, int min, int max, int fallback) {
        if (setting == null) {
            return fallback;
        }
        String text = setting.value().trim();
        if (INTEGER.matcher(text).matches()) {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        }
        problems.add(setting.key() + ": must be an integer from " + min + " to " + max + ", got "
                + Redaction.quote(setting.value()));
        return fallback;
    }

    /** Bytes, or a whole number of KiB, MiB or GiB ({@code 32MiB}, {@code 65536}). */
    private long size(Setting setting, long min, long max, long fallback) {
        if (setting == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(setting.value().trim());
        if (m.matches()) {
            int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
                case "KiB" -> 10;
                case "MiB" -> 20;
                default -> 30;
            };
            long value = Long.parseLong(m.group(1));
            if (value <= (max >> shift) && value << shift >= min) {
                return value << shift;
            }
        }
        problems.add(setting.key() + ": must be a size from " + ByteSizes.format(min) + " to " + ByteSizes.format(max)
                + " (bytes, or a whole number with KiB, MiB or GiB), got " + Redaction.quote(setting.value()));
        return fallback;
    }

    private boolean bool(Setting setting, boolean fallback) {
        if (setting == null) {
            return fallback;
        }
        String text = setting.value().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true");
        }
        problems.add(setting.key() + ": must be true or false, got " + Redaction.quote(setting.value()));
        return fallback;
    }

    private Map<Source, Duration> intervals() {
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source source : Source.values()) {
            Setting setting = yaml.get("sync.intervals." + source.label());
            if (setting == null) {
                continue;
            }
            Optional<Duration> parsed = Durations.parse(setting.value());
            if (parsed.isEmpty()) {
                problems.add(setting.key() + ": must be a duration like 30s, 15m or 1h, got "
                        + Redaction.quote(setting.value()));
            } else if (parsed.get().compareTo(MIN_INTERVAL) < 0) {
                problems.add(setting.key() + ": must be at least 1m, got " + Redaction.quote(setting.value()));
            } else {
                intervals.put(source, parsed.get());
            }
        }
        return intervals;
    }

    private Map<BudgetFamily, Integer> rateLimits() {
        Map<BudgetFamily, Integer> limits = new EnumMap<>(BudgetFamily.defaultLimits());
        for (BudgetFamily family : BudgetFamily.values()) {
            Setting setting = yaml.get("sync.rate_limits." + family.key());
            if (setting != null) {
                limits.put(family, integer(setting, 1, MAX_RATE_LIMIT, family.defaultPerMinute()));
            }
        }
        return limits;
    }

    private Path dataDir(Setting setting) {
        if (setting == null) {
            return DEFAULT_DATA_DIR;
        }
        Optional<Path> path = path(setting);
        if (path.isPresent() && Files.isRegularFile(path.get())) {
            problems.add(setting.key() + ": " + Redaction.quote(setting.value()) + " is a file, not a directory");
        }
        return path.orElse(DEFAULT_DATA_DIR);
    }

    private Optional<String> storeUrl(Setting setting) {
        if (setting == null) {
            return Optional.empty();
        }
        String url = setting.value().trim();
        if (!url.startsWith("jdbc:sqlite:")) {
            problems.add(setting.key() + ": only jdbc:sqlite: URLs are supported, got "
                    + Redaction.quote(Redaction.url(url)));
            return Optional.empty();
        }
        return Optional.of(url);
    }

    private Optional<Path> directoryFile(Setting setting) {
        if (setting == null) {
            return Optional.empty();
        }
        Optional<Path> path = path(setting);
        path.ifPresent(p -> {
            String cannotRead = setting.key() + ": cannot read " + Redaction.quote(setting.value()) + ": ";
            if (Files.isDirectory(p)) {
                problems.add(cannotRead + "is a directory");
            } else if (!Files.exists(p)) {
                problems.add(cannotRead + "no such file");
            } else if (!Files.isReadable(p)) {
                problems.add(cannotRead + "permission denied");
            }
        });
        return path;
    }

    private Optional<Path> path(Setting setting) {
        try {
            return Optional.of(Path.of(setting.value().trim()));
        } catch (InvalidPathException e) {
            problems.add(setting.key() + ": not a valid path, got " + Redaction.quote(setting.value()));
            return Optional.empty();
        }
    }

    private UserLabelMode userLabel(Setting setting) {
        if (setting == null) {
            return UserLabelMode.EMAIL;
        }
        String text = setting.value().trim().toLowerCase(Locale.ROOT);
        for (UserLabelMode mode : UserLabelMode.values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(text)) {
                return mode;
            }
        }
        problems.add(setting.key() + ": must be one of email, hash, none, got " + Redaction.quote(setting.value()));
        return UserLabelMode.EMAIL;
    }

    private TeamSource teamSource(Setting setting) {
        if (setting == null) {
            return TeamSource.DIRECTORY;
        }
        String text = setting.value().trim().toLowerCase(Locale.ROOT);
        for (TeamSource source : TeamSource.values()) {
            if (source.name().toLowerCase(Locale.ROOT).equals(text)) {
                return source;
            }
        }
        problems.add(setting.key() + ": must be one of directory, billing_groups, got " + Redaction.quote(setting.value()));
        return TeamSource.DIRECTORY;
    }

    // ---- layering ----------------------------------------------------------------------------------------------

    private Setting fromEnv(String variable) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : new Setting(variable, value);
    }

    /** The environment variable when set, else the YAML value at {@code yamlPath}, else null. */
    private Setting pick(String variable, String yamlPath) {
        return pickWith(variable, yaml.get(yamlPath));
    }

    private Setting pickWith(String variable, Setting fromYaml) {
        Setting fromEnv = fromEnv(variable);
        return fromEnv != null ? fromEnv : fromYaml;
    }
}
