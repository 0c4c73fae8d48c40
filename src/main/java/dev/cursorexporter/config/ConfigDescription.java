package dev.cursorexporter.config;

import dev.cursorexporter.model.DirectoryRule;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Source;

import java.math.BigDecimal;
import java.net.URI;
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

    /** Several lines, {@code name: value}, without a trailing newline. */
    public static String describe(ExporterConfig config) {
        return describe(config, Optional.empty());
    }

    /**
     * As {@link #describe(ExporterConfig)}; with {@code demo}, {@code config} is the configuration demo mode runs
     * with (its backfill, intervals, directory and budgets) and the summary says where those come from.
     */
    public static String describe(ExporterConfig config, Optional<Demo> demo) {
        StringJoiner out = new StringJoiner("\n");
        out.add("mode: " + mode(config));
        demo.ifPresent(d -> out.add("simulator: " + d.simulator().map(URI::toString)
                .orElse("(a free local port, chosen at start)") + " (" + d.users() + " users, " + d.historyDays()
                + " days of history ending today)"));
        for (AccountConfig account : config.accounts()) {
            out.add("account " + account.name() + ": " + Redaction.url(account.baseUrl().toString())
                    + ", API key " + account.apiKey());
        }
        out.add("port: " + config.server().port());
        out.add("auth token: " + config.server().authToken().map(t -> "(set)")
                .orElse(config.server().basicAuth().isPresent() ? "(not set)" : "(not set; every endpoint is open)"));
        config.server().basicAuth().ifPresent(b -> out.add("basic auth: user " + Redaction.quote(b.user())
                + ", password (set)"));
        String silent = ", silent after " + Durations.format(config.otlp().silentAfter());
        String receiver = demo.filter(Demo::demoReceiver).isPresent()
                ? "demo (127.0.0.1, a free port, a random token; the simulator pushes its OpenTelemetry Export)" + silent
                : config.otlp().enabled() ? "port " + config.otlp().port() + ", token (set), body limit "
                + ByteSizes.format(config.otlp().maxBodyBytes()) + silent
                : "(off; no OTLP token set)";
        out.add("OTLP receiver: " + receiver);
        out.add("store: " + config.store().url().map(Redaction::url)
                .orElse("SQLite file " + config.store().dataDir().resolve("cursor-exporter.db"))
                + (config.store().postgresql() ? " (PostgreSQL), password "
                + (config.store().password().isPresent() ? "(set)" : "(not set)") : ""));
        out.add("data dir: " + config.store().dataDir());
        out.add("backfill: " + config.sync().backfillDays() + " complete UTC days before today, plus today"
                + demo.map(d -> " (demo: all " + d.historyDays() + " days the simulator holds)").orElse(""));
        out.add("look-back: " + config.sync().lookbackDays() + " days");
        out.add("answer limit: " + ByteSizes.format(config.sync().maxAnswerBytes()));
        StringJoiner intervals = new StringJoiner(", ");
        for (Source source : Source.values()) {
            intervals.add(source.label() + " " + Durations.format(config.sync().pollInterval(source)));
        }
        out.add("poll intervals: " + intervals);
        StringJoiner limits = new StringJoiner(", ");
        for (BudgetFamily family : BudgetFamily.values()) {
            Integer limit = config.sync().rateLimits().get(family);
            limits.add(family.key() + " " + (limit == null ? "unpaced" : limit));
        }
        out.add("rate limits per minute: " + limits);
        out.add("directory: " + config.directory().file().map(Object::toString)
                .orElse("(none; team 'unassigned', location 'unknown')")
                + (demo.filter(Demo::demoDirectory).isPresent() ? " (the demo organisation's, written at start)" : ""));
        out.add("user label: " + switch (config.metrics().userLabel()) {
            case EMAIL -> "email";
            case HASH -> "hash (salt " + (config.metrics().userLabelSalt().isPresent() ? "(set)" : "generated, kept in the store") + ")";
            case NONE -> "none (no user label)";
        });
        // shown only when set, so that the common summary stays short
        if (!config.directory().rules().isEmpty()) {
            out.add("directory rules: " + config.directory().rules().stream().map(DirectoryRule::pattern).toList());
        }
        if (config.directory().teamSource() == TeamSource.BILLING_GROUPS) {
            out.add("team source: billing groups after the directory file and rules");
        }
        if (demo.filter(Demo::derivedBudgets).isPresent()) {
            String how = "derived from the simulated cycle spend: the top team at about 95 %, the others at about 50 %";
            if (config.budgets().isEmpty()) {
                out.add("budgets (USD per cycle): " + how + ", at start");
            } else {
                StringJoiner teams = new StringJoiner(", ");
                new TreeMap<>(config.budgets().teams()).forEach((team, usd) -> teams.add(team + " " + usd.toPlainString()));
                out.add("budgets (USD per cycle, " + how + "): " + teams);
            }
        } else if (!config.budgets().isEmpty()) {
            out.add("budgets (USD per cycle): default " + config.budgets().defaultBudget().map(BigDecimal::toPlainString)
                    .orElse("none") + ", teams " + config.budgets().teams().size());
        }
        if (config.metrics().maxSeriesPerMetric() != ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC) {
            out.add("max series per metric: " + config.metrics().maxSeriesPerMetric());
        }
        if (config.metrics().maxUsers() != ExporterConfig.DEFAULT_MAX_USERS
                || config.metrics().maxModels() != ExporterConfig.DEFAULT_MAX_MODELS) {
            out.add("users and models with labels of their own: " + config.metrics().maxUsers() + " users, "
                    + config.metrics().maxModels() + " models per account");
        }
        return out.toString();
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
