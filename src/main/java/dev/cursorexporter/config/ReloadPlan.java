package dev.cursorexporter.config;

import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a configuration reload may change in a running exporter, decided between the configuration it runs with and
 * one just loaded. Reloadable: budgets, the directory (file, rules, team source), and the secrets that are read at
 * every use (API keys, the HTTP bearer token and basic auth, the OTLP token's value). Everything else is fixed by
 * what the exporter built at start (listening sockets, the store, the sync threads and their schedule, the metric
 * labels and limits): such a change "needs a restart", is reported once per key, and the running value is kept while
 * the reloadable part applies. Secret values never appear in a line.
 */
public final class ReloadPlan {

    /** A setting that only a restart changes; {@code shown} = whether its values may appear in a log line. */
    private record Fixed(String key, Function<ExporterConfig, Object> value, boolean shown) {
    }

    private static final List<Fixed> FIXED = List.of(
            new Fixed("server.port", c -> c.server().port(), true),
            new Fixed("server.bind_address", c -> c.server().bindAddress(), true),
            // logback is set up once at start (LogSetup); a level change would need every logger re-read
            new Fixed("log.level", c -> c.log().level(), true),
            new Fixed("log.format", c -> c.log().format(), true),
            new Fixed("store.data_dir", c -> c.store().dataDir(), true),
            new Fixed("store.url", c -> c.store().url(), false), // a URL may carry a user name
            new Fixed("store.password", c -> c.store().password(), false),
            new Fixed("sync.backfill_days", c -> c.sync().backfillDays(), true),
            new Fixed("sync.lookback_days", c -> c.sync().lookbackDays(), true),
            new Fixed("sync.intervals", c -> c.sync().pollIntervals(), true),
            new Fixed("sync.rate_limits", c -> c.sync().rateLimits(), true),
            new Fixed("sync.max_answer_size", c -> c.sync().maxAnswerBytes(), true),
            new Fixed("demo", ExporterConfig::demo, true),
            // the accounts' names, base URLs and limits make the sync threads; their keys are reloadable
            new Fixed("accounts", c -> c.accounts().stream()
                    .map(a -> List.of(a.name(), a.baseUrl(), Map.copyOf(a.rateLimits()))).toList(), false),
            new Fixed("metrics.user_label", c -> c.metrics().userLabel(), true),
            new Fixed("metrics.user_label_salt", c -> c.metrics().userLabelSalt(), false),
            new Fixed("metrics.max_series_per_metric", c -> c.metrics().maxSeriesPerMetric(), true),
            new Fixed("metrics.max_users", c -> c.metrics().maxUsers(), true),
            new Fixed("metrics.max_models", c -> c.metrics().maxModels(), true),
            new Fixed("otlp.port", c -> c.otlp().port(), true),
            new Fixed("otlp.max_body_size", c -> c.otlp().maxBodyBytes(), true),
            new Fixed("otlp.silent_after", c -> c.otlp().silentAfter(), true),
            // on or off starts or stops a listener; the token's value is reloadable
            new Fixed("otlp.token (set or unset)", c -> c.otlp().enabled(), true));

    private final List<String> needsRestart;
    private final List<String> restartLines;
    private final List<String> changed;
    /** Whether the OTLP token's value is taken: only when a token is configured before and after. */
    private final boolean otlpToken;

    private ReloadPlan(List<String> needsRestart, List<String> restartLines, List<String> changed,
                       boolean otlpToken) {
        this.needsRestart = List.copyOf(needsRestart);
        this.restartLines = List.copyOf(restartLines);
        this.changed = List.copyOf(changed);
        this.otlpToken = otlpToken;
    }

    /**
     * @param running the configuration as loaded at start or by the last reload that applied, restart-only values
     *                as they run (not as last written)
     * @param loaded  the configuration just loaded
     */
    public static ReloadPlan between(ExporterConfig running, ExporterConfig loaded) {
        List<String> keys = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Fixed fixed : FIXED) {
            Object before = fixed.value().apply(running);
            Object after = fixed.value().apply(loaded);
            if (!Objects.equals(before, after)) {
                keys.add(fixed.key());
                lines.add(fixed.key() + ": changed" + (fixed.shown() ? " from " + before + " to " + after : "")
                        + "; needs a restart, the running value is kept until then");
            }
        }
        List<String> changed = new ArrayList<>();
        differs(changed, "budgets", running.budgets(), loaded.budgets());
        differs(changed, "directory.file", running.directory().file(), loaded.directory().file());
        differs(changed, "directory.rules", rulesAsWritten(running), rulesAsWritten(loaded));
        differs(changed, "directory.team_source", running.directory().teamSource(), loaded.directory().teamSource());
        differs(changed, "server.auth_token", running.server().authToken(), loaded.server().authToken());
        differs(changed, "server.basic_auth", running.server().basicAuth(), loaded.server().basicAuth());
        boolean otlpToken = running.otlp().enabled() && loaded.otlp().enabled();
        if (otlpToken) {
            differs(changed, "otlp.token", running.otlp().token(), loaded.otlp().token());
        }
        for (AccountConfig account : running.accounts()) {
            keyOf(loaded, account.name()).filter(key -> !key.equals(account.apiKey()))
                    .ifPresent(key -> changed.add("api key of account " + account.name()));
        }
        return new ReloadPlan(keys, lines, changed, otlpToken);
    }

    /** A rule's compiled pattern has no equality of its own; what was written says the same. */
    private static List<List<Object>> rulesAsWritten(ExporterConfig config) {
        return config.directory().rules().stream()
                .map(r -> List.<Object>of(r.pattern(), r.team(), r.location())).toList();
    }

    private static void differs(List<String> changed, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(key);
        }
    }

    /** Keys that changed but need a restart, in a fixed order. */
    public List<String> needsRestart() {
        return needsRestart;
    }

    /** One log line per key of {@link #needsRestart()}: the key, the values unless secret, what happens. */
    public List<String> restartLines() {
        return restartLines;
    }

    /** Reloadable keys whose value changed. */
    public List<String> changed() {
        return changed;
    }

    /**
     * {@code running} with the reloadable part of {@code loaded}: what runs after the reload. Apply it to the
     * configurations as loaded (those this plan was made from) and to the effective ones alike; demo mode's own
     * OTLP receiver keeps its token, since the plan takes one only where a token was configured before and after.
     */
    public ExporterConfig merge(ExporterConfig running, ExporterConfig loaded) {
        ExporterConfig.Builder next = running.toBuilder()
                .budgets(loaded.budgets())
                .directoryFile(loaded.directory().file())
                .directoryRules(loaded.directory().rules())
                .teamSource(loaded.directory().teamSource())
                .authToken(loaded.server().authToken())
                .basicAuth(loaded.server().basicAuth());
        if (otlpToken) {
            next.otlp(new OtlpConfig(running.otlp().port(), loaded.otlp().token(), running.otlp().maxBodyBytes(),
                    running.otlp().silentAfter()));
        }
        next.accounts(running.accounts().stream().map(a -> new AccountConfig(a.name(),
                keyOf(loaded, a.name()).orElse(a.apiKey()), a.baseUrl(), a.rateLimits())).toList());
        return next.build();
    }

    private static Optional<Secret> keyOf(ExporterConfig config, String account) {
        return config.accounts().stream().filter(a -> a.name().equals(account)).map(AccountConfig::apiKey)
                .findFirst();
    }
}
