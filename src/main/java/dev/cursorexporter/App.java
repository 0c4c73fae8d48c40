package dev.cursorexporter;

import dev.cursorexporter.api.HttpAuth;
import dev.cursorexporter.model.Secret;
import java.net.URI;
import dev.cursorexporter.simulator.OtelPusher;
import dev.cursorexporter.api.HttpServer;
import dev.cursorexporter.api.OtlpServer;
import dev.cursorexporter.metrics.CoalescedRefresh;
import dev.cursorexporter.model.OtlpListener;
import dev.cursorexporter.otlp.OtlpIngest;
import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.budget.DemoBudgets;
import dev.cursorexporter.budget.TeamSpendPlanner;
import dev.cursorexporter.api.StatusRoutes;
import dev.cursorexporter.api.SyncTrigger;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.ReloadResult;
import dev.cursorexporter.config.ConfigDescription;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.TeamSource;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.cursor.RateBudget;
import dev.cursorexporter.cursor.Sleeper;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.DirectoryReloader;
import dev.cursorexporter.directory.LayeredDirectory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.SnapshotBuilder;
import dev.cursorexporter.metrics.SeriesLimits;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.query.DatasourceWarmup;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.store.DataDirLock;
import dev.cursorexporter.store.PollerLock;
import dev.cursorexporter.store.PostgresPollerLock;
import dev.cursorexporter.store.StoreChangeWatch;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.GroupAssignment;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.store.Store;
import dev.cursorexporter.sync.AccountPoller;
import dev.cursorexporter.sync.AccountSync;
import dev.cursorexporter.store.BackfillProgress;
import dev.cursorexporter.sync.SyncHealth;
import dev.cursorexporter.sync.WindowPlanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Wires the exporter together from a validated configuration: store, directory, metrics, one sync per account,
 * the HTTP server, and in demo mode the simulator standing in for Cursor. The only place that constructs things.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    /** How often the directory file is checked for changes. */
    private static final Duration DIRECTORY_CHECK = Duration.ofSeconds(30);
    /** How long a stop waits for the running sync job to reach a checkpoint (a window or page boundary). */
    private static final Duration SYNC_GRACE = Duration.ofSeconds(7);
    /** Then how long it waits for the job to unwind once its in-flight call is cancelled; leaves ~1 s of 10. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(2);
    /**
     * How long after an OTLP push its values reach {@code /metrics} at most (plus one build): pushes arrive every
     * few seconds, and a build of a large store takes a second or more, so at most one per this.
     */
    private static final Duration OTLP_REFRESH_GAP = Duration.ofSeconds(5);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<AccountPoller> syncs = new ArrayList<>();
    private final List<CursorClient> clients = new ArrayList<>();
    private final HttpServer server;
    /** The OTLP receiver; null unless an OTLP token is configured (or demo mode made one). */
    private final OtlpServer otlp;
    /** Demo mode's simulator, which also pushes Cursor's OpenTelemetry Export; null when live. */
    private final Simulator demoSimulator;
    private final Secret otlpToken;
    /** How long the receiver may accept nothing before it counts as silent (otlp.silent_after). */
    private final Duration otlpSilentAfter;
    private final MetricsPlane metrics;
    private final Store store;
    private final DatasourceQueries datasource;
    /** The OTel estimate against the settled cost; its answers are dropped when a sync or an OTLP request writes. */
    private final CostReconciliation reconciliation;
    /** Rebuilds the snapshot after OTLP data arrived, here or (PostgreSQL) at another replica. */
    private final CoalescedRefresh pushRefresh;
    /** Other replicas' writes to a shared PostgreSQL store; null on SQLite, where this is the only writer. */
    private final StoreChangeWatch watch;
    /** Stores the directory's assignment of every e-mail (StoreWriter#assignGroups). */
    private final Runnable assignGroups;

    /** Held from before anything touches the data directory until after the store is closed. */
    private final DataDirLock dataDirLock;
    /** The running configuration and its reload (SIGHUP, POST /-/reload). */
    private final ConfigReloader reloader;

    private App(ExporterConfig config, Clock clock, AppOptions options, DataDirLock dataDirLock) throws IOException {
        this.dataDirLock = dataDirLock;
        String mode = config.demo() ? "demo" : "live";
        List<AccountConfig> accounts = config.accounts();
        ExporterConfig configured = config;
        Simulator simulator = null;
        UnaryOperator<ExporterConfig> toEffective = UnaryOperator.identity();
        if (config.demo()) {
            simulator = Simulator.start(DemoMode.simulatorOptions());
            resources.add(simulator);
            accounts = List.of(new AccountConfig("default", new dev.cursorexporter.model.Secret(simulator.apiKey()),
                    simulator.baseUrl()));
            Files.createDirectories(config.store().dataDir());
            Files.writeString(DemoMode.directoryFile(config), simulator.directoryCsv());
            Optional<Budgets> derived = Optional.of(DemoBudgets.of(simulator.totals().cycleSpendCentsByTeam()));
            config = DemoMode.effective(config, derived);
            toEffective = loaded -> DemoMode.effective(loaded, derived);
            logConfiguration(ConfigDescription.entries(config,
                    Optional.of(DemoMode.description(configured, Optional.of(simulator.baseUrl())))));
            LOG.atWarn().setMessage("DEMO MODE: no Cursor API key is set, so the exporter polls its built-in simulator "
                    + "(a synthetic organisation); set CURSOR_API_KEY for real data")
                    .addKeyValue("simulator", simulator.baseUrl())
                    .addKeyValue("interval", DemoMode.INTERVAL.toMinutes() + "m").log();
        } else {
            logConfiguration(ConfigDescription.entries(config, Optional.empty()));
        }
        Map<Source, Duration> intervals = config.sync().pollIntervals();
        SqliteStore sqlite = openStore(config);
        this.store = sqlite;
        resources.add(0, store);

        Optional<Path> directoryFile = config.directory().file();
        List<String> accountNames = accounts.stream().map(AccountConfig::name).toList();
        BillingGroupTeams billingGroups = new BillingGroupTeams(store, accountNames);
        DirectoryReloader directory = new DirectoryReloader(directoryFile, config.directory().rules(),
                config.directory().teamSource() == TeamSource.BILLING_GROUPS ? billingGroups
                        : LayeredDirectory.NO_BILLING_GROUPS);
        resources.add(directory);
        this.reloader = new ConfigReloader(configured, config, options.reloadFrom(), toEffective, directory,
                billingGroups, clock);
        UserLabeler labeler = new UserLabeler(config.metrics().userLabel(),
                new UserLabelSalt(new SecureRandom()).resolve(config.metrics(), store.userLabelSalts()));
        // in demo mode the simulator's whole history, whatever is configured (DemoMode.backfillDays)
        WindowPlanner planner = new WindowPlanner(config.sync().backfillDays(), config.sync().lookbackDays(),
                CursorApi.MAX_WINDOW_DAYS);
        SyncHealth health = new SyncHealth(store);
        BackfillProgress backfill = new BackfillProgress(store, planner.range(), clock);
        TeamSpendPlanner spendPlanner = new TeamSpendPlanner(store, store.daily(), reloader::budgets, clock);
        this.reconciliation = new CostReconciliation(store, accountNames, directory::current,
                config.otlp().enabled(), clock);
        this.metrics = new MetricsPlane(new SnapshotBuilder(store, accountNames, directory::current, labeler, clock,
                Optional.of(spendPlanner), Optional.of(reconciliation),
                new SeriesLimits(config.metrics().maxSeriesPerMetric(), config.metrics().maxUsers(),
                        config.metrics().maxModels()), true, backfill, intervals),
                BuildInfo.version(), BuildInfo.revision(), mode);
        this.datasource = new DatasourceQueries(store, store.daily(), directory::current, labeler, clock);
        this.assignGroups = () -> assignGroups(store, directory);
        Runnable onStoreChanged = () -> {
            billingGroups.refresh();
            assignGroups.run(); // before the answers are dropped: new ones group by the new assignment
            datasource.invalidate();
            reconciliation.invalidate();
            metrics.refresh();
        };
        billingGroups.refresh();
        directory.start(DIRECTORY_CHECK, metrics.directoryReloadListener(), onStoreChanged);
        reloader.start(metrics.configReloadListener(clock.instant()), onStoreChanged);
        this.pushRefresh = new CoalescedRefresh(metrics::refresh, OTLP_REFRESH_GAP);
        resources.add(pushRefresh);
        PollerLock pollerLock = config.store().postgresql()
                ? PostgresPollerLock.of(config.store().url().orElseThrow(), config.store().password())
                : PollerLock.SOLE;
        resources.add(pollerLock); // closed after the syncs stopped: the next replica takes over at once
        this.watch = config.store().postgresql() ? new StoreChangeWatch(store, accountNames, onStoreChanged, () -> {
            reconciliation.invalidate();
            pushRefresh.request();
        }) : null;
        if (watch != null) {
            resources.add(watch);
        }
        Runnable afterSync = watch == null ? onStoreChanged : () -> {
            watch.seenSync(); // this process refreshes for its own writes now; the watch need not again
            onStoreChanged.run();
        };

        ClientSettings clientSettings = options.clientSettings().withMaxAnswerBytes(config.sync().maxAnswerBytes());
        long heap = Runtime.getRuntime().maxMemory();
        // Half, not less: the Dockerfile's 256 MiB container has a 112 MiB heap, and the 32 MiB default must not
        // warn there (in HostileRowsJarIT the jar in that container buffers 32 MiB of a 48 MiB answer and refuses it).
        if (config.sync().maxAnswerBytes() > heap / 2) {
            LOG.warn("the answer limit ({} MiB, sync.max_answer_size) is more than half of the {} MiB heap: "
                    + "one answer that large, read while a scrape or query runs, can exhaust it",
                    config.sync().maxAnswerBytes() >> 20, heap >> 20);
        }
        Map<String, SyncTrigger> byName = new LinkedHashMap<>();
        for (AccountConfig account : accounts) {
            // one budget per account: Cursor's limits are per team, whichever job or client calls
            Map<BudgetFamily, Integer> limits = new EnumMap<>(config.sync().rateLimits());
            limits.putAll(account.rateLimits());
            RateBudget budget = new RateBudget(limits, options.rateLimitWindow(), System::nanoTime, Sleeper.SYSTEM);
            CursorClient client = new CursorClient(account.baseUrl(), reloader.apiKey(account), clientSettings,
                    accounts.size() > 1 ? metrics.apiCallCounter(account.name()) : metrics.apiCallCounter(),
                    Sleeper.SYSTEM, Clock.systemUTC(), budget);
            resources.add(client);
            clients.add(client);
            AccountPoller poller = new AccountPoller(account.name(), pollerLock,
                    () -> new AccountSync(account.name(), client, client.enterprise(), store, planner,
                            intervals, clock, afterSync, health), AccountPoller.CHECK);
            syncs.add(poller);
            metrics.pollerGauge(account.name(), poller::polling);
            byName.put(account.name(), poller::syncNow);
        }
        this.demoSimulator = simulator;
        this.otlpToken = config.otlp().token().orElse(null);
        this.otlpSilentAfter = config.otlp().silentAfter();
        // the receiver shares the bind address: one setting says which interfaces the exporter is reachable on
        this.otlp = config.otlp().enabled() ? otlpReceiver(config, DemoMode.isDemoReceiver(configured, config)
                ? "127.0.0.1" : config.server().host(), clock) : null;
        List<String> names = List.copyOf(accountNames);
        // ready once /metrics serves the store's data: a built snapshot and a core source synced
        this.server = new HttpServer(config.server().host(), config.server().port(), metrics,
                () -> metrics.built() && hasData(store, names), mode,
                new HttpAuth(reloader::authToken, reloader::basicAuth), datasource,
                new StatusRoutes(mode, BuildInfo.version(), store, byName, backfill, reconciliation), reconciliation,
                () -> reload("POST /-/reload"));
    }

    /** The configuration summary as one event, its settings as the event's fields (check-config prints it as lines). */
    private static void logConfiguration(List<ConfigDescription.Entry> entries) {
        org.slf4j.spi.LoggingEventBuilder event = LOG.atInfo().setMessage("configuration");
        entries.forEach(e -> event.addKeyValue(e.key(), e.value()));
        event.log();
    }

    /** The receiver of Cursor's OpenTelemetry Export: its own port and threads, its own token. */
    private OtlpServer otlpReceiver(ExporterConfig config, String host, Clock clock) {
        CoalescedRefresh refresh = pushRefresh;
        OtlpListener listener = metrics.otlpListener();
        // the reconciliation's answers first, so the snapshot the request asks for compares the new estimate
        OtlpIngest ingest = new OtlpIngest(store.otel(), listener, () -> {
            reconciliation.invalidate();
            refresh.request();
        }, clock);
        return new OtlpServer(host, config.otlp().port(), new HttpAuth(reloader::otlpToken, Optional::empty),
                config.otlp().maxBodyBytes(), ingest, listener);
    }

    /** Builds and starts everything; the first sync of every account starts at once in the background. */
    public static App start(ExporterConfig config, Clock clock) throws IOException {
        return start(config, clock, AppOptions.defaults());
    }

    /** As {@link #start(ExporterConfig, Clock)}, with client settings and rate-limit window of the caller's choice. */
    public static App start(ExporterConfig config, Clock clock, AppOptions options) throws IOException {
        // a second exporter on the same data directory is refused before it writes anything there
        DataDirLock lock = DataDirLock.acquire(config.store().dataDir());
        App app;
        try {
            app = new App(config, clock, options, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            app.server.start();
            if (app.otlp != null) {
                app.otlp.start();
                app.metrics.otlpReceiverStarted(clock.instant(), app.otlpSilentAfter);
                LOG.info("OTLP receiver listening on port {} (POST /v1/metrics, /v1/logs)", app.otlp.port());
                if (app.demoSimulator != null) {
                    app.startDemoPusher(clock);
                }
            }
            // Before the first snapshot; until it is stored, answers by team or location are computed per e-mail.
            app.assignGroups.run();
            app.datasource.invalidate();
            app.reconciliation.invalidate();
            // Listening first: the first snapshot of a large store takes seconds, and an orchestrator's liveness
            // probe (/healthz) must not wait for it; /readyz says when the data is there.
            app.metrics.refresh();
            DatasourceWarmup.start(app.datasource, clock);
            if (app.watch != null) {
                app.watch.start(StoreChangeWatch.PERIOD);
            }
            app.syncs.forEach(AccountPoller::start);
            LOG.info("cursor-exporter {} listening on port {}", BuildInfo.version(), app.server.port());
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /**
     * Demo mode: the simulator pushes its OpenTelemetry Export of the last week (or since this data directory's
     * receiver last took metrics) now and every few seconds after, over HTTP to the receiver, as Cursor would.
     */
    private void startDemoPusher(Clock clock) {
        long from = DemoMode.otelPushFrom(clock.instant(),
                Optional.ofNullable(store.otel().lastReceived().get(OtlpIngest.METRICS)));
        OtelPusher pusher = new OtelPusher(demoSimulator.otelExport(), URI.create("http://127.0.0.1:" + otlp.port()
                + "/"), otlpToken.reveal(), clock::millis, from);
        resources.add(pusher); // closed first of the resources; a push after the receiver closed just fails
        pusher.start(DemoMode.OTEL_PERIOD);
        LOG.info("demo: the simulator pushes Cursor's OpenTelemetry Export to the receiver every {} s",
                DemoMode.OTEL_PERIOD.toSeconds());
    }

    public int port() {
        return server.port();
    }

    /**
     * Reads the configuration again and applies what may change while running (README "Reload"); an invalid one is
     * refused and logged, and the running one is kept.
     *
     * @param cause what asked for it, for the log
     */
    public ReloadResult reload(String cause) {
        return reloader.reload(cause);
    }

    /** The OTLP receiver's port; empty when it is off. */
    public Optional<Integer> otlpPort() {
        return otlp == null ? Optional.empty() : Optional.of(otlp.port());
    }

    public MetricsPlane metrics() {
        return metrics;
    }

    /**
     * Ready once a core source has succeeded (now or in an earlier run on this store): Enterprise sources can
     * succeed without data ("not on the plan"), so they do not count.
     */
    private static boolean hasData(Store store, List<String> accounts) {
        for (String account : accounts) {
            for (Map.Entry<Source, SourceState> s : store.sourceStates(account).entrySet()) {
                if (!s.getKey().enterprise() && s.getValue().lastSuccess() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Stores the current directory's team and location of every e-mail with data, so SQL groups history by them
     * (and regroups it when they change). A failure is logged: the next sync or reload tries again, and answers
     * by team or location meanwhile group by the assignment stored before.
     */
    private static void assignGroups(Store store, DirectoryReloader directory) {
        try {
            Directory current = directory.current();
            store.assignGroups(email -> {
                Assignment a = current.lookup(email);
                return new GroupAssignment(a.team(), a.location());
            });
        } catch (RuntimeException e) {
            LOG.warn("could not store the directory's assignment; trying again after the next sync: {}",
                    e.toString());
        }
    }

    /**
     * The billing-group layer of the directory ({@code directory.team_source: billing_groups}): e-mail to group
     * name over all accounts, re-read from the store after every sync so lookups never hit the database.
     */
    private static final class BillingGroupTeams implements Function<String, Optional<String>> {
        private final Store store;
        private final List<String> accounts;
        private volatile Map<String, String> teams = Map.of();

        BillingGroupTeams(Store store, List<String> accounts) {
            this.store = store;
            this.accounts = List.copyOf(accounts);
        }

        void refresh() {
            Map<String, String> all = new HashMap<>();
            accounts.forEach(account -> all.putAll(store.enterprise().billingGroupOfMember(account)));
            teams = Map.copyOf(all);
        }

        @Override
        public Optional<String> apply(String email) {
            return Optional.ofNullable(teams.get(email));
        }
    }

    /** The configured store, opened and migrated (also used by {@link RotateSaltCommand}). */
    static SqliteStore openStore(ExporterConfig config) {
        if (config.store().postgresql()) {
            // replicas on one database: each account is polled by the holder of its PostgresPollerLock
            return SqliteStore.openPostgres(config.store().url().orElseThrow(), config.store().password());
        }
        return config.store().url().map(SqliteStore::openUrl)
                .orElseGet(() -> SqliteStore.open(config.store().dataDir()));
    }

    /**
     * Stops within about 10 s (SIGTERM runs this from the shutdown hook): HTTP first, so nothing new comes in; then
     * every sync stops at its next checkpoint (window committed with its coverage, or a page boundary whose
     * uncommitted window is discarded), waiting at most {@link #SYNC_GRACE}; a sync still blocked after that (slow
     * Cursor, rate-limit wait) has its in-flight call cancelled; last the store closes, which checkpoints the WAL.
     */
    @Override
    public void close() {
        long started = System.nanoTime();
        LOG.info("stopping: HTTP server, then the sync at its next checkpoint, then the store");
        if (otlp != null) {
            otlp.close();
        }
        if (server != null) {
            server.close();
        }
        syncs.forEach(AccountPoller::requestStop);
        boolean atCheckpoint = awaitSyncs(started + SYNC_GRACE.toNanos());
        if (!atCheckpoint) {
            LOG.warn("sync still running after {} s: cancelling its in-flight call; its uncommitted window is "
                    + "fetched again on the next start", SYNC_GRACE.toSeconds());
            syncs.forEach(AccountPoller::abandon);
            clients.forEach(CursorClient::cancelCalls);
            if (!awaitSyncs(System.nanoTime() + ABANDON_GRACE.toNanos())) {
                LOG.warn("sync thread still running; closing the store anyway (its writes are transactions)");
            }
        }
        // Reverse order of creation: clients and the simulator before the store they write to.
        for (int i = resources.size() - 1; i >= 0; i--) {
            AutoCloseable r = resources.get(i);
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", r.getClass().getSimpleName(), e);
            }
        }
        dataDirLock.close();
        LOG.info("stopped in {} ms: sync {}, store closed", (System.nanoTime() - started) / 1_000_000,
                atCheckpoint ? "stopped at a checkpoint" : "abandoned mid-call");
    }

    private boolean awaitSyncs(long deadlineNanos) {
        boolean all = true;
        for (AccountPoller sync : syncs) {
            all &= sync.awaitStop(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        }
        return all;
    }
}
