package dev.cursorexporter.config;

import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration, built once at start by {@link ConfigLoader} from the YAML file
 * ({@code CURSOR_EXPORTER_CONFIG}) with environment variables overriding it.
 *
 * @param port           HTTP port ({@code CURSOR_EXPORTER_PORT}, {@code server.port}), default 9464
 * @param dataDir        where the embedded store lives ({@code CURSOR_EXPORTER_DATA_DIR}, {@code store.data_dir})
 * @param storeUrl       JDBC URL when set ({@code CURSOR_EXPORTER_STORE_URL}, {@code store.url}); empty = SQLite
 *                       file {@code cursor-exporter.db} in {@code dataDir}
 * @param backfillDays   history fetched on first start, 1–365 ({@code CURSOR_EXPORTER_BACKFILL_DAYS},
 *                       {@code sync.backfill_days}), default 30
 * @param lookbackDays   trailing days re-read on every poll because Cursor restates them, 0–7
 *                       ({@code sync.lookback_days}), default 2
 * @param pollIntervals  per source ({@code sync.intervals.<source label>}); defaults members 1h, spend 15m,
 *                       daily_usage 1h, usage_events 1h; each at least 1m
 * @param accounts       Cursor accounts; empty means demo mode
 * @param demo           demo mode: the built-in simulator is started and polled instead of Cursor
 *                       (no key, or {@code CURSOR_EXPORTER_DEMO=true})
 * @param directoryFile  CSV {@code email,team,location} ({@code CURSOR_EXPORTER_DIRECTORY_FILE},
 *                       {@code directory.file})
 * @param userLabel      {@code CURSOR_EXPORTER_USER_LABEL}, {@code metrics.user_label}
 * @param userLabelSalt  salt of the {@code hash} mode ({@code CURSOR_EXPORTER_USER_LABEL_SALT},
 *                       {@code metrics.user_label_salt}); required when the mode is {@code hash}
 * @param authToken      bearer token for every endpoint but /healthz ({@code CURSOR_EXPORTER_AUTH_TOKEN} /
 *                       {@code _FILE}, {@code server.auth_token} / {@code server.auth_token_file})
 * @param budgets        team budgets per billing cycle ({@code budgets})
 * @param directoryRules e-mail glob or domain → team/location, after the CSV file ({@code directory.rules})
 * @param teamSource     whether billing groups name teams the CSV and rules leave open
 *                       ({@code directory.team_source})
 * @param maxSeriesPerMetric cap on the series of one metric ({@code CURSOR_EXPORTER_MAX_SERIES_PER_METRIC},
 *                       {@code metrics.max_series_per_metric}), default 50000
 * @param rateLimits     requests per minute each Cursor account allows itself per rate-limit family
 *                       ({@code sync.rate_limits.<family>}); defaults 90 % of the published limits
 * @param basicAuth      basic auth for every endpoint but /healthz, accepted besides the bearer token
 *                       ({@code CURSOR_EXPORTER_BASIC_AUTH_*}, {@code server.basic_auth})
 * @param maxAnswerBytes largest Cursor answer read, in bytes ({@code CURSOR_EXPORTER_MAX_ANSWER_SIZE},
 *                       {@code sync.max_answer_size}), 64 KiB to 1 GiB, default 32 MiB
 */
public record ExporterConfig(
        int port,
        Path dataDir,
        Optional<String> storeUrl,
        int backfillDays,
        int lookbackDays,
        Map<Source, Duration> pollIntervals,
        List<AccountConfig> accounts,
        boolean demo,
        Optional<Path> directoryFile,
        UserLabelMode userLabel,
        Optional<Secret> userLabelSalt,
        Optional<Secret> authToken,
        Budgets budgets,
        List<DirectoryRule> directoryRules,
        TeamSource teamSource,
        int maxSeriesPerMetric,
        Map<BudgetFamily, Integer> rateLimits,
        Optional<BasicAuthConfig> basicAuth,
        long maxAnswerBytes) {

    public static final int DEFAULT_MAX_SERIES_PER_METRIC = 50_000;

    /** Without budgets, rules or billing-group teams, the default series cap and the default rate limits. */
    public ExporterConfig(int port, Path dataDir, Optional<String> storeUrl, int backfillDays, int lookbackDays,
                          Map<Source, Duration> pollIntervals, List<AccountConfig> accounts, boolean demo,
                          Optional<Path> directoryFile, UserLabelMode userLabel, Optional<Secret> userLabelSalt,
                          Optional<Secret> authToken) {
        this(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo, directoryFile,
                userLabel, userLabelSalt, authToken, Budgets.NONE, List.of(), TeamSource.DIRECTORY,
                DEFAULT_MAX_SERIES_PER_METRIC, BudgetFamily.defaultLimits());
    }

    /** Without basic auth. */
    public ExporterConfig(int port, Path dataDir, Optional<String> storeUrl, int backfillDays, int lookbackDays,
                          Map<Source, Duration> pollIntervals, List<AccountConfig> accounts, boolean demo,
                          Optional<Path> directoryFile, UserLabelMode userLabel, Optional<Secret> userLabelSalt,
                          Optional<Secret> authToken, Budgets budgets, List<DirectoryRule> directoryRules,
                          TeamSource teamSource, int maxSeriesPerMetric, Map<BudgetFamily, Integer> rateLimits) {
        this(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo, directoryFile,
                userLabel, userLabelSalt, authToken, budgets, directoryRules, teamSource, maxSeriesPerMetric,
                rateLimits, Optional.empty());
    }

    /** With the default answer limit. */
    public ExporterConfig(int port, Path dataDir, Optional<String> storeUrl, int backfillDays, int lookbackDays,
                          Map<Source, Duration> pollIntervals, List<AccountConfig> accounts, boolean demo,
                          Optional<Path> directoryFile, UserLabelMode userLabel, Optional<Secret> userLabelSalt,
                          Optional<Secret> authToken, Budgets budgets, List<DirectoryRule> directoryRules,
                          TeamSource teamSource, int maxSeriesPerMetric, Map<BudgetFamily, Integer> rateLimits,
                          Optional<BasicAuthConfig> basicAuth) {
        this(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo, directoryFile,
                userLabel, userLabelSalt, authToken, budgets, directoryRules, teamSource, maxSeriesPerMetric,
                rateLimits, basicAuth, ClientSettings.DEFAULT_MAX_ANSWER_BYTES);
    }

    public ExporterConfig {
        directoryRules = List.copyOf(directoryRules);
        pollIntervals = withDefaults(pollIntervals);
        accounts = List.copyOf(accounts);
        rateLimits = Map.copyOf(rateLimits);
    }

    /** The same configuration with other budgets (demo mode derives its own). */
    public ExporterConfig withBudgets(Budgets other) {
        return new ExporterConfig(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo,
                directoryFile, userLabel, userLabelSalt, authToken, other, directoryRules, teamSource,
                maxSeriesPerMetric, rateLimits, basicAuth, maxAnswerBytes);
    }

    /** The same configuration with other rate limits per family. */
    public ExporterConfig withRateLimits(Map<BudgetFamily, Integer> other) {
        return new ExporterConfig(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo,
                directoryFile, userLabel, userLabelSalt, authToken, budgets, directoryRules, teamSource,
                maxSeriesPerMetric, other, basicAuth, maxAnswerBytes);
    }

    /** The same configuration with other basic auth. */
    public ExporterConfig withBasicAuth(Optional<BasicAuthConfig> other) {
        return new ExporterConfig(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo,
                directoryFile, userLabel, userLabelSalt, authToken, budgets, directoryRules, teamSource,
                maxSeriesPerMetric, rateLimits, other, maxAnswerBytes);
    }

    /** The same configuration with another bearer token. */
    public ExporterConfig withAuthToken(Optional<Secret> other) {
        return new ExporterConfig(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo,
                directoryFile, userLabel, userLabelSalt, other, budgets, directoryRules, teamSource,
                maxSeriesPerMetric, rateLimits, basicAuth, maxAnswerBytes);
    }

    /** The same configuration with another backfill, other poll intervals and another directory file. */
    public ExporterConfig withSync(int otherBackfillDays, Map<Source, Duration> otherIntervals,
                                   Optional<Path> otherDirectoryFile) {
        return new ExporterConfig(port, dataDir, storeUrl, otherBackfillDays, lookbackDays, otherIntervals, accounts,
                demo, otherDirectoryFile, userLabel, userLabelSalt, authToken, budgets, directoryRules, teamSource,
                maxSeriesPerMetric, rateLimits, basicAuth, maxAnswerBytes);
    }

    /** The same configuration with another answer limit. */
    public ExporterConfig withMaxAnswerBytes(long other) {
        return new ExporterConfig(port, dataDir, storeUrl, backfillDays, lookbackDays, pollIntervals, accounts, demo,
                directoryFile, userLabel, userLabelSalt, authToken, budgets, directoryRules, teamSource,
                maxSeriesPerMetric, rateLimits, basicAuth, other);
    }

    /** {@code intervals} with every source it leaves out at its {@link Source#defaultInterval()}. */
    private static Map<Source, Duration> withDefaults(Map<Source, Duration> intervals) {
        Map<Source, Duration> all = new java.util.EnumMap<>(Source.class);
        for (Source source : Source.values()) {
            all.put(source, intervals.getOrDefault(source, source.defaultInterval()));
        }
        return java.util.Collections.unmodifiableMap(all);
    }

    public Duration pollInterval(Source source) {
        return pollIntervals.get(source);
    }
}
