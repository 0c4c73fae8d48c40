package dev.cursorexporter.config;

import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.model.DirectoryRule;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration, built once at start by {@link ConfigLoader} from the YAML file
 * ({@code CURSOR_EXPORTER_CONFIG}) with environment variables overriding it. Composed of one small record per
 * section of the YAML file; {@link #builder()} makes one in code (demo mode, tests) from the defaults.
 *
 * @param server    the exporter's HTTP server ({@code server:})
 * @param store     where data is kept ({@code store:})
 * @param sync      how Cursor is polled ({@code sync:})
 * @param accounts  Cursor accounts ({@code cursor:} for one, {@code accounts:} for several); empty means demo mode
 * @param demo      demo mode: the built-in simulator is started and polled instead of Cursor (no key, or
 *                  {@code CURSOR_EXPORTER_DEMO=true})
 * @param directory where team and location come from ({@code directory:})
 * @param metrics   labels and limits of the Prometheus plane ({@code metrics:})
 * @param budgets   team budgets per billing cycle ({@code budgets:})
 * @param otlp      the receiver of Cursor's OpenTelemetry Export ({@code otlp:})
 * @param log       the exporter's own log: level and format ({@code log:})
 */
public record ExporterConfig(ServerConfig server, StoreConfig store, SyncConfig sync, List<AccountConfig> accounts,
                             boolean demo, DirectoryConfig directory, MetricsConfig metrics, Budgets budgets,
                             OtlpConfig otlp, LogConfig log) {

    public static final int DEFAULT_MAX_SERIES_PER_METRIC = ConfigKeys.MAX_SERIES_PER_METRIC.defaultValue();
    public static final int DEFAULT_MAX_USERS = ConfigKeys.MAX_USERS.defaultValue();
    public static final int DEFAULT_MAX_MODELS = ConfigKeys.MAX_MODELS.defaultValue();

    public ExporterConfig {
        accounts = List.copyOf(accounts);
    }

    /** With the default log settings. */
    public ExporterConfig(ServerConfig server, StoreConfig store, SyncConfig sync, List<AccountConfig> accounts,
                          boolean demo, DirectoryConfig directory, MetricsConfig metrics, Budgets budgets,
                          OtlpConfig otlp) {
        this(server, store, sync, accounts, demo, directory, metrics, budgets, otlp, LogConfig.DEFAULT);
    }

    /** The defaults of every key, no account, not demo. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds an {@link ExporterConfig} in code, one value at a time, starting from the defaults of the table of keys
     * ({@link ConfigKeys}), which are what the loader applies when nothing is configured. Nothing is validated: the
     * loader validates what users write.
     */
    public static final class Builder {
        private int port = ConfigKeys.PORT.defaultValue();
        private Optional<Secret> authToken = Optional.empty();
        private Optional<BasicAuthConfig> basicAuth = Optional.empty();
        private Optional<String> bindAddress = Optional.empty();
        private LogConfig log = LogConfig.DEFAULT;
        private Path dataDir = ConfigKeys.DATA_DIR.defaultValue();
        private Optional<String> storeUrl = Optional.empty();
        private Optional<Secret> storePassword = Optional.empty();
        private int backfillDays = ConfigKeys.BACKFILL_DAYS.defaultValue();
        private int lookbackDays = ConfigKeys.LOOKBACK_DAYS.defaultValue();
        private Map<Source, Duration> pollIntervals = Map.of();
        private Map<BudgetFamily, Integer> rateLimits = defaults(ConfigKeys.RATE_LIMITS);
        private long maxAnswerBytes = ConfigKeys.MAX_ANSWER_SIZE.defaultValue();
        private List<AccountConfig> accounts = List.of();
        private boolean demo = ConfigKeys.DEMO.defaultValue();
        private Optional<Path> directoryFile = Optional.empty();
        private List<DirectoryRule> directoryRules = List.of();
        private TeamSource teamSource = ConfigKeys.TEAM_SOURCE.defaultValue();
        private UserLabelMode userLabel = ConfigKeys.USER_LABEL.defaultValue();
        private Optional<Secret> userLabelSalt = Optional.empty();
        private int maxSeriesPerMetric = DEFAULT_MAX_SERIES_PER_METRIC;
        private int maxUsers = DEFAULT_MAX_USERS;
        private int maxModels = DEFAULT_MAX_MODELS;
        private Budgets budgets = Budgets.NONE;
        private OtlpConfig otlp = new OtlpConfig(ConfigKeys.OTLP_PORT.defaultValue(), Optional.empty(),
                ConfigKeys.OTLP_MAX_BODY_SIZE.defaultValue(), ConfigKeys.OTLP_SILENT_AFTER.defaultValue());

        private Builder() {
        }

        private Builder(ExporterConfig config) {
            port = config.server.port();
            authToken = config.server.authToken();
            basicAuth = config.server.basicAuth();
            bindAddress = config.server.bindAddress();
            log = config.log;
            dataDir = config.store.dataDir();
            storeUrl = config.store.url();
            storePassword = config.store.password();
            backfillDays = config.sync.backfillDays();
            lookbackDays = config.sync.lookbackDays();
            pollIntervals = config.sync.pollIntervals();
            rateLimits = config.sync.rateLimits();
            maxAnswerBytes = config.sync.maxAnswerBytes();
            accounts = config.accounts;
            demo = config.demo;
            directoryFile = config.directory.file();
            directoryRules = config.directory.rules();
            teamSource = config.directory.teamSource();
            userLabel = config.metrics.userLabel();
            userLabelSalt = config.metrics.userLabelSalt();
            maxSeriesPerMetric = config.metrics.maxSeriesPerMetric();
            maxUsers = config.metrics.maxUsers();
            maxModels = config.metrics.maxModels();
            budgets = config.budgets;
            otlp = config.otlp;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder authToken(Optional<Secret> authToken) {
            this.authToken = authToken;
            return this;
        }

        public Builder basicAuth(Optional<BasicAuthConfig> basicAuth) {
            this.basicAuth = basicAuth;
            return this;
        }

        public Builder bindAddress(Optional<String> bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder log(LogConfig log) {
            this.log = log;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder storeUrl(Optional<String> storeUrl) {
            this.storeUrl = storeUrl;
            return this;
        }

        public Builder storePassword(Optional<Secret> storePassword) {
            this.storePassword = storePassword;
            return this;
        }

        public Builder backfillDays(int backfillDays) {
            this.backfillDays = backfillDays;
            return this;
        }

        public Builder lookbackDays(int lookbackDays) {
            this.lookbackDays = lookbackDays;
            return this;
        }

        /** Sources left out poll at their default interval. */
        public Builder pollIntervals(Map<Source, Duration> pollIntervals) {
            this.pollIntervals = pollIntervals;
            return this;
        }

        public Builder rateLimits(Map<BudgetFamily, Integer> rateLimits) {
            this.rateLimits = rateLimits;
            return this;
        }

        public Builder maxAnswerBytes(long maxAnswerBytes) {
            this.maxAnswerBytes = maxAnswerBytes;
            return this;
        }

        public Builder accounts(List<AccountConfig> accounts) {
            this.accounts = accounts;
            return this;
        }

        public Builder demo(boolean demo) {
            this.demo = demo;
            return this;
        }

        public Builder directoryFile(Optional<Path> directoryFile) {
            this.directoryFile = directoryFile;
            return this;
        }

        public Builder directoryRules(List<DirectoryRule> directoryRules) {
            this.directoryRules = directoryRules;
            return this;
        }

        public Builder teamSource(TeamSource teamSource) {
            this.teamSource = teamSource;
            return this;
        }

        public Builder userLabel(UserLabelMode userLabel) {
            this.userLabel = userLabel;
            return this;
        }

        public Builder userLabelSalt(Optional<Secret> userLabelSalt) {
            this.userLabelSalt = userLabelSalt;
            return this;
        }

        public Builder maxSeriesPerMetric(int maxSeriesPerMetric) {
            this.maxSeriesPerMetric = maxSeriesPerMetric;
            return this;
        }

        public Builder maxUsers(int maxUsers) {
            this.maxUsers = maxUsers;
            return this;
        }

        public Builder maxModels(int maxModels) {
            this.maxModels = maxModels;
            return this;
        }

        public Builder budgets(Budgets budgets) {
            this.budgets = budgets;
            return this;
        }

        public Builder otlp(OtlpConfig otlp) {
            this.otlp = otlp;
            return this;
        }

        private static <K, V> Map<K, V> defaults(Map<K, ConfigKey<V>> keys) {
            Map<K, V> values = new HashMap<>();
            keys.forEach((k, key) -> values.put(k, key.defaultValue()));
            return values;
        }

        public ExporterConfig build() {
            return new ExporterConfig(new ServerConfig(port, authToken, basicAuth, bindAddress), new StoreConfig(dataDir, storeUrl, storePassword),
                    new SyncConfig(backfillDays, lookbackDays, pollIntervals, rateLimits, maxAnswerBytes), accounts,
                    demo, new DirectoryConfig(directoryFile, directoryRules, teamSource),
                    new MetricsConfig(userLabel, userLabelSalt, maxSeriesPerMetric, maxUsers, maxModels),
                    budgets, otlp, log);
        }
    }
}
