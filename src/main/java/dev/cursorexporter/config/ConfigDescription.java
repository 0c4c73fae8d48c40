package dev.cursorexporter.config;

import dev.cursorexporter.model.DirectoryRule;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Source;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/** The human summary printed by {@code check-config} and logged at start. Secrets show only whether they are set. */
public final class ConfigDescription {
    private ConfigDescription() {
    }

    /**
     * What demo mode puts in place of the configuration, for the summary of the configuration it runs with.
     *
     * @param simulator      the simulator's address once started; empty before (check-config)
     * @param users          members of the simulated organisation
     * @param historyDays    days of history the simulator holds, ending with today
     * @param derivedBudgets whether the budgets come from the simulated spend (none configured)
     * @param demoDirectory  whether the directory file is the demo organisation's (none configured)
     * @param demoReceiver   whether the OTLP receiver is the demo's own (no OTLP token configured): loopback only,
     *                       a free port, a random token the simulator pushes with
     */
    public record Demo(Optional<URI> simulator, int users, int historyDays, boolean derivedBudgets,
                       boolean demoDirectory, boolean demoReceiver) {
    }

    /** One setting of the summary: a key for the structured log line, a label and value for people. */
    public record Entry(String key, String label, String value) {
    }

    /** Several lines, {@code name: value}, without a trailing newline. */
    public static String describe(ExporterConfig config) {
        return describe(config, Optional.empty());
    }

    /** As {@link #describe(ExporterConfig, Optional)}: several lines, {@code name: value}. */
    public static String describe(ExporterConfig config, Optional<Demo> demo) {
        StringJoiner out = new StringJoiner("\n");
        entries(config, demo).forEach(e -> out.add(e.label() + ": " + e.value()));
        return out.toString();
    }

    /**
     * The summary as entries, in the order people read it; the start log writes them as the fields of one event.
     * With {@code demo}, {@code config} is the configuration demo mode runs with (its backfill, intervals, directory
     * and budgets) and the summary says where those come from.
     */
    public static List<Entry> entries(ExporterConfig config, Optional<Demo> demo) {
        Lines out = new Lines();
        out.add("mode", "mode", mode(config));
        demo.ifPresent(d -> out.add("simulator", "simulator", d.simulator().map(URI::toString)
                .orElse("(a free local port, chosen at start)") + " (" + d.users() + " users, " + d.historyDays()
                + " days of history ending today)"));
        for (AccountConfig account : config.accounts()) {
            out.add("account." + account.name(), "account " + account.name(), Redaction.url(account.baseUrl().toString())
                    + ", API key " + account.apiKey());
        }
        out.add("listen_address", "listen address", listenAddress(config.server()));
        out.add("log", "log", config.log().format().name().toLowerCase(Locale.ROOT) + ", level "
                + config.log().level().name().toLowerCase(Locale.ROOT));
        out.add("auth_token", "auth token", config.server().authToken().map(t -> "(set)")
                .orElse(config.server().basicAuth().isPresent() ? "(not set)" : "(not set; every endpoint is open)"));
        config.server().basicAuth().ifPresent(b -> out.add("basic_auth", "basic auth", "user " + Redaction.quote(b.user())
                + ", password (set)"));
        String silent = ", silent after " + Durations.format(config.otlp().silentAfter());
        String receiver = demo.filter(Demo::demoReceiver).isPresent()
                ? "demo (127.0.0.1, a free port, a random token; the simulator pushes its OpenTelemetry Export)" + silent
                : config.otlp().enabled() ? listenAddress(config.server().bindAddress(), config.otlp().port()) + ", token (set), body limit "
                + ByteSizes.format(config.otlp().maxBodyBytes()) + silent
                : "(off; no OTLP token set)";
        out.add("otlp_receiver", "OTLP receiver", receiver);
        out.add("store", "store", config.store().url().map(Redaction::url)
                .orElse("SQLite file " + config.store().dataDir().resolve("cursor-exporter.db"))
                + (config.store().postgresql() ? " (PostgreSQL), password "
                + (config.store().password().isPresent() ? "(set)" : "(not set)") : ""));
        out.add("data_dir", "data dir", config.store().dataDir().toString());
        out.add("backfill_days", "backfill", config.sync().backfillDays() + " complete UTC days before today, plus today"
                + demo.map(d -> " (demo: all " + d.historyDays() + " days the simulator holds)").orElse(""));
        out.add("lookback_days", "look-back", config.sync().lookbackDays() + " days");
        out.add("answer_limit", "answer limit", ByteSizes.format(config.sync().maxAnswerBytes()));
        StringJoiner intervals = new StringJoiner(", ");
        for (Source source : Source.values()) {
            intervals.add(source.label() + " " + Durations.format(config.sync().pollInterval(source)));
        }
        out.add("poll_intervals", "poll intervals", intervals.toString());
        StringJoiner limits = new StringJoiner(", ");
        for (BudgetFamily family : BudgetFamily.values()) {
            Integer limit = config.sync().rateLimits().get(family);
            limits.add(family.key() + " " + (limit == null ? "unpaced" : limit));
        }
        out.add("rate_limits_per_minute", "rate limits per minute", limits.toString());
        out.add("directory", "directory", config.directory().file().map(Object::toString)
                .orElse("(none; team 'unassigned', location 'unknown')")
                + (demo.filter(Demo::demoDirectory).isPresent() ? " (the demo organisation's, written at start)" : ""));
        out.add("user_label", "user label", switch (config.metrics().userLabel()) {
            case EMAIL -> "email";
            case HASH -> "hash (salt " + (config.metrics().userLabelSalt().isPresent() ? "(set)" : "generated, kept in the store") + ")";
            case NONE -> "none (no user label)";
        });
        // shown only when set, so that the common summary stays short
        if (!config.directory().rules().isEmpty()) {
            out.add("directory_rules", "directory rules",
                    config.directory().rules().stream().map(DirectoryRule::pattern).toList().toString());
        }
        if (config.directory().teamSource() == TeamSource.BILLING_GROUPS) {
            out.add("team_source", "team source", "billing groups after the directory file and rules");
        }
        if (demo.filter(Demo::derivedBudgets).isPresent()) {
            String how = "derived from the simulated cycle spend: the top team at about 95 %, the others at about 50 %";
            if (config.budgets().isEmpty()) {
                out.add("budgets", "budgets (USD per cycle)", how + ", at start");
            } else {
                StringJoiner teams = new StringJoiner(", ");
                new TreeMap<>(config.budgets().teams()).forEach((team, usd) -> teams.add(team + " " + usd.toPlainString()));
                out.add("budgets", "budgets (USD per cycle, " + how + ")", teams.toString());
            }
        } else if (!config.budgets().isEmpty()) {
            out.add("budgets", "budgets (USD per cycle)", "default " + config.budgets().defaultBudget().map(BigDecimal::toPlainString)
                    .orElse("none") + ", teams " + config.budgets().teams().size());
        }
        if (config.metrics().maxSeriesPerMetric() != ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC) {
            out.add("max_series_per_metric", "max series per metric",
                    Integer.toString(config.metrics().maxSeriesPerMetric()));
        }
        if (config.metrics().maxUsers() != ExporterConfig.DEFAULT_MAX_USERS
                || config.metrics().maxModels() != ExporterConfig.DEFAULT_MAX_MODELS) {
            out.add("labelled_users_and_models", "users and models with labels of their own",
                    config.metrics().maxUsers() + " users, "
                    + config.metrics().maxModels() + " models per account");
        }
        return out.entries;
    }

    /** {@code host:port} as Prometheus exporters write it; IPv6 in brackets. */
    private static String listenAddress(ServerConfig server) {
        return listenAddress(server.bindAddress(), server.port())
                + (server.bindAddress().filter(h -> !BindAddress.isAllInterfaces(h)).isEmpty() ? " (all interfaces)" : "");
    }

    private static String listenAddress(Optional<String> host, int port) {
        String shown = host.orElse(BindAddress.ALL_INTERFACES);
        return (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port;
    }

    /** Collects the entries; one call per line of the human summary. */
    private static final class Lines {
        private final List<Entry> entries = new ArrayList<>();

        void add(String key, String label, String value) {
            entries.add(new Entry(key, label, value));
        }
    }

    private static String mode(ExporterConfig config) {
        int accounts = config.accounts().size();
        if (!config.demo()) {
            return "live (" + accounts + (accounts == 1 ? " Cursor account)" : " Cursor accounts)");
        }
        if (accounts == 0) {
            return "demo (no API key configured; the built-in simulator is polled)";
        }
        return "demo (forced; " + accounts + (accounts == 1 ? " configured account is" : " configured accounts are")
                + " not polled)";
    }
}
