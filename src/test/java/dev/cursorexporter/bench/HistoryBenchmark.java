package dev.cursorexporter.bench;

import dev.cursorexporter.simulator.EnterpriseMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.JarProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The History board ({@code grafana-dashboards/cursor-history.json}) over a year of 1,000 members, against the
 * built jar after its backfill, with the simulator's directory file (teams and locations) configured: every
 * request the board's panels send with all variables at "All" (Grafana's {@code .*}, which the API drops), each
 * panel timed alone with a range no earlier request asked (cold: its answer is computed), then again with the
 * same range (warm: cached), and the whole board (all panels at once, as Grafana sends them) with a fresh range.
 * Fresh ranges are 347 to 366 days that cover the simulator's history but for up to 18 days at either end: the
 * API takes at most 366 days.
 *
 * <p>{@code bench.historyDataDir} reuses a data directory a previous run backfilled (the jar then only
 * catches up): the backfill takes about 8 minutes.
 */
final class HistoryBenchmark {

    /** One panel's request: a GET path under /api/v1 (range appended), or the simPod panel's POST. */
    private record Panel(String name, String path, boolean simpod) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("Daily cost by team", "/api/v1/daily?by=team", false),
            new Panel("Daily cost by model", "/api/v1/daily?by=model", false),
            new Panel("Daily cost by location", "/api/v1/daily?by=location", false),
            new Panel("Daily tokens", "/api/v1/daily?", false),
            new Panel("Requests per day by model", "/api/v1/daily?by=model", false),
            new Panel("Daily active users", "/api/v1/daily?", false),
            new Panel("AI-assisted vs total lines per day", "/api/v1/daily?", false),
            new Panel("AI share of lines per day by team", "/api/v1/daily?by=team", false),
            new Panel("Tab completions per day", "/api/v1/daily?", false),
            new Panel("Cost per member in range", "/api/v1/totals?by=user,team", false),
            new Panel("Daily cost (simPod)", "/grafana/query", true));

    /** Further questions the issue names (not on the board): the team,model split and a team filter. */
    private static final List<Panel> EXTRA = List.of(
            new Panel("by=team,model (not on the board)", "/api/v1/daily?by=team,model", false),
            new Panel("team=<first team>&by=model (a Team variable)", "/api/v1/daily?by=model&team=", false));

    private final Loopback http = new Loopback();

    void run(int members, int days, Path work, List<String> jvmArgs, int coldRuns, int warmRuns) throws Exception {
        // Without Enterprise (as on a Business plan): its sources answer "not on the plan" at once, so neither their
        // year of history (AI Code Tracking takes many minutes to generate) nor its sync runs under the timings.
        SimulatorOptions options = SimulatorOptions.builder().users(members).days(days).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).enterprise(EnterpriseMode.OFF).build();
        try (Simulator sim = Simulator.start(options)) {
            LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(sim.totals().nowMs()), ZoneOffset.UTC);
            String reuse = System.getProperty("bench.historyDataDir", "").trim();
            Path dataDir = reuse.isEmpty() ? work.resolve("history") : Path.of(reuse);
            Files.createDirectories(dataDir);
            boolean reused = Files.exists(dataDir.resolve(SqliteStore.FILE_NAME));
            Path directory = work.resolve("directory.csv");
            Files.writeString(directory, sim.directoryCsv());
            String firstTeam = sim.directoryCsv().lines().skip(1).findFirst().orElseThrow().split(",")[1];
            Path yaml = work.resolve("history.yaml");
            Files.writeString(yaml, "sync:\n  rate_limits: {admin: 1000, usage_events: 1000, analytics_team: 1000, "
                    + "analytics_by_user: 1000, ai_code: 1000}\n");
            int port = JarProcess.freePort();
            Map<String, String> env = Map.of("CURSOR_API_KEY", sim.apiKey(),
                    "CURSOR_API_BASE_URL", sim.baseUrl().toString(),
                    "CURSOR_EXPORTER_BACKFILL_DAYS", Integer.toString(days - 1),
                    "CURSOR_EXPORTER_DATA_DIR", dataDir.toString(),
                    "CURSOR_EXPORTER_PORT", Integer.toString(port),
                    "CURSOR_EXPORTER_CONFIG", yaml.toString(),
                    "CURSOR_EXPORTER_DIRECTORY_FILE", directory.toString());
            Path log = work.resolve("history-exporter.log");
            String base = "http://127.0.0.1:" + port;
            long started = System.nanoTime();
            Process exporter = ExporterJar.start(jvmArgs, env, log);
            try {
                while (http.status(base + "/healthz") != 200) {
                    if (!exporter.isAlive()) {
                        throw new IllegalStateException("exporter exited; see "
                                + work.resolve("history-exporter.log"));
                    }
                    Thread.sleep(5);
                }
                BackfillBenchmark.awaitBackfill(http, base, exporter);
                SnapshotWait.await(http, base); // the post-sync snapshot rebuild; later syncs are an hour away
                System.out.printf("RESULT history: %d members x %d days, store %s (%.0f s to ready), JVM flags: %s%n",
                        members, days, reused ? "reused from " + dataDir : "backfilled",
                        (System.nanoTime() - started) / 1e9, jvmArgs.isEmpty() ? "none" : String.join(" ", jvmArgs));
                measure(base, today, firstTeam, coldRuns, warmRuns);
            } finally {
                exporter.destroy();
                if (!exporter.waitFor(60, TimeUnit.SECONDS)) {
                    exporter.destroyForcibly().waitFor();
                }
            }
        }
    }

    private void measure(String base, LocalDate today, String firstTeam, int coldRuns, int warmRuns)
            throws Exception {
        Ranges ranges = new Ranges(today);
        List<Panel> all = new ArrayList<>(PANELS);
        all.addAll(EXTRA);
        for (Panel p : all) {
            Panel panel = p.path().endsWith("team=") ? new Panel(p.name(), p.path()
                    + java.net.URLEncoder.encode(firstTeam, java.nio.charset.StandardCharsets.UTF_8), false) : p;
            Samples cold = new Samples();
            LocalDate[] last = null;
            for (int i = 0; i < coldRuns; i++) {
                last = ranges.next();
                cold.add(time(base, panel, last));
            }
            Samples warm = new Samples();
            for (int i = 0; i < warmRuns; i++) {
                warm.add(time(base, panel, last));
            }
            System.out.printf("RESULT history panel %-45s cold p50 %s p95 %s (%d fresh ranges) | warm p50 %s p95 %s "
                            + "(%d calls)%n", "'" + panel.name() + "'", Samples.ms(cold.median()),
                    Samples.ms(cold.percentile(95)), coldRuns, Samples.ms(warm.median()),
                    Samples.ms(warm.percentile(95)), warmRuns);
        }
        ExecutorService browser = Executors.newFixedThreadPool(PANELS.size());
        try {
            Samples board = new Samples();
            Samples boardWarm = new Samples();
            for (int i = 0; i < coldRuns; i++) {
                LocalDate[] range = ranges.next();
                board.add(boardLoad(browser, base, range));
                boardWarm.add(boardLoad(browser, base, range));
            }
            System.out.printf("RESULT history board load, all %d panels at once, fresh range (cold): p50 %s p95 %s "
                            + "max %s over %d loads | same range again (warm): p50 %s p95 %s%n", PANELS.size(),
                    Samples.ms(board.median()), Samples.ms(board.percentile(95)), Samples.ms(board.percentile(100)),
                    coldRuns, Samples.ms(boardWarm.median()), Samples.ms(boardWarm.percentile(95)));
        } finally {
            browser.shutdownNow();
        }
    }

    private long boardLoad(ExecutorService browser, String base, LocalDate[] range) throws Exception {
        long start = System.nanoTime();
        List<Future<Long>> answers = new ArrayList<>();
        for (Panel p : PANELS) {
            answers.add(browser.submit(() -> time(base, p, range)));
        }
        for (Future<Long> a : answers) {
            a.get();
        }
        return System.nanoTime() - start;
    }

    private long time(String base, Panel panel, LocalDate[] range) {
        if (panel.simpod()) {
            String body = "{\"range\":{\"from\":\"" + range[0] + "T00:00:00Z\",\"to\":\"" + range[1]
                    + "T23:59:59Z\"},\"intervalMs\":86400000,\"maxDataPoints\":1000,\"targets\":[{\"refId\":\"A\","
                    + "\"target\":\"cost\",\"payload\":{}}]}";
            return http.timePost(base + panel.path(), body);
        }
        String sep = panel.path().endsWith("?") ? "" : "&";
        return http.time(base + panel.path() + sep + "from=" + range[0] + "&to=" + range[1]);
    }

    /**
     * Ranges no earlier request asked: from today-365+a to today-b for a, b in 0..9 (100 of them), each covering
     * all but up to 18 days of the simulator's year.
     */
    private static final class Ranges {
        private final LocalDate today;
        private int next;

        Ranges(LocalDate today) {
            this.today = today;
        }

        LocalDate[] next() {
            int k = next++;
            if (k >= 100) {
                throw new IllegalStateException("out of fresh ranges; ask for fewer cold runs");
            }
            return new LocalDate[] {today.minusDays(365 - (k % 10)), today.minusDays(k / 10)};
        }
    }
}
