package dev.cursorexporter;

import dev.cursorexporter.config.ConfigException;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.ReloadPlan;
import dev.cursorexporter.config.TeamSource;
import dev.cursorexporter.directory.DirectoryReloader;
import dev.cursorexporter.directory.LayeredDirectory;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.ReloadResult;
import dev.cursorexporter.model.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The configuration the exporter runs with, and its reload (SIGHUP, {@code POST /-/reload}): the configuration is
 * read again as at start (the YAML file, the environment, secret files), validated, and only when it is valid does
 * its reloadable part replace the running one (see {@link ReloadPlan}); invalid, it is refused with one log line per
 * problem and nothing changes. The running configuration is an immutable {@link ExporterConfig} swapped as a whole;
 * the parts that follow it (budgets, auth, API keys, OTLP token) ask for it at every use.
 */
final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /**
     * @param configured as loaded (the plan compares these)
     * @param effective  what runs: demo mode's substitutions applied
     */
    private record Running(ExporterConfig configured, ExporterConfig effective) {
    }

    private final AtomicReference<Running> running;
    private final AppOptions.ConfigSource source;
    private final UnaryOperator<ExporterConfig> effective;
    private final DirectoryReloader directory;
    private final Function<String, Optional<String>> billingGroups;
    private final Clock clock;
    private volatile MetricsPlane.ConfigReloadListener listener = (applied, at) -> { };
    private volatile Runnable onApplied = () -> { };

    /**
     * @param configured    the configuration as loaded at start
     * @param effective     what runs: {@code configured} with demo mode's substitutions
     * @param toEffective   what a loaded configuration runs as (demo mode's substitutions; identity when live)
     * @param billingGroups the directory's billing-group layer, for {@code directory.team_source: billing_groups}
     */
    ConfigReloader(ExporterConfig configured, ExporterConfig effective, AppOptions.ConfigSource source,
                   UnaryOperator<ExporterConfig> toEffective, DirectoryReloader directory,
                   Function<String, Optional<String>> billingGroups, Clock clock) {
        this.running = new AtomicReference<>(new Running(configured, effective));
        this.source = source;
        this.effective = toEffective;
        this.directory = directory;
        this.billingGroups = billingGroups;
        this.clock = clock;
    }

    /**
     * @param listener  told about every reload (the reload metrics)
     * @param onApplied run after a reload applied (the snapshot and the answers are rebuilt from it)
     */
    void start(MetricsPlane.ConfigReloadListener listener, Runnable onApplied) {
        this.listener = listener;
        this.onApplied = onApplied;
    }

    /** The configuration running now. */
    ExporterConfig current() {
        return running.get().effective();
    }

    Budgets budgets() {
        return current().budgets();
    }

    Optional<Secret> authToken() {
        return current().server().authToken();
    }

    Optional<BasicAuthConfig> basicAuth() {
        return current().server().basicAuth();
    }

    Optional<Secret> otlpToken() {
        return current().otlp().token();
    }

    /**
     * The key {@code account} calls Cursor with: the running configuration's key of that name, asked at every call,
     * so a reload that changes it applies to the next call. Demo mode's simulator account keeps its own.
     */
    Secret apiKey(AccountConfig account) {
        if (current().demo()) {
            return account.apiKey();
        }
        return Secret.following(() -> current().accounts().stream().filter(a -> a.name().equals(account.name()))
                .map(AccountConfig::apiKey).findFirst().orElse(account.apiKey()).reveal());
    }

    /** The billing-group layer a team source asks for. */
    Function<String, Optional<String>> billingGroupsOf(ExporterConfig config) {
        return config.directory().teamSource() == TeamSource.BILLING_GROUPS ? billingGroups
                : LayeredDirectory.NO_BILLING_GROUPS;
    }

    /**
     * Reads the configuration again and applies what may change without a restart.
     *
     * @param cause what asked for it, for the log (SIGHUP, POST /-/reload)
     */
    synchronized ReloadResult reload(String cause) {
        Running before = running.get();
        ExporterConfig loaded;
        try {
            loaded = source.load();
        } catch (ConfigException e) {
            return refused(cause, e.problems());
        }
        ReloadPlan plan = ReloadPlan.between(before.configured(), loaded);
        ExporterConfig next = plan.merge(before.effective(), effective.apply(loaded));
        try {
            // the directory file is read again in any case: it may have changed since its last check
            directory.reconfigure(next.directory().file(), next.directory().rules(), billingGroupsOf(next));
        } catch (IOException e) {
            return refused(cause, List.of("directory.file: " + e.getMessage()));
        }
        running.set(new Running(plan.merge(before.configured(), loaded), next));
        plan.restartLines().forEach(line -> LOG.warn("configuration reload: {}", line));
        LOG.info("configuration reloaded ({}): {}", cause,
                plan.changed().isEmpty() ? "no reloadable setting changed" : "changed " + plan.changed());
        listener.reloaded(true, clock.instant());
        onApplied.run();
        return new ReloadResult(true, List.of(), plan.changed(), plan.needsRestart());
    }

    private ReloadResult refused(String cause, List<String> problems) {
        LOG.error("configuration reload ({}) refused, the running configuration is kept; {} problem(s):", cause,
                problems.size());
        problems.forEach(problem -> LOG.error("configuration reload refused: {}", problem));
        listener.reloaded(false, clock.instant());
        return ReloadResult.refused(problems);
    }
}
