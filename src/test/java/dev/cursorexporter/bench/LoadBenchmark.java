package dev.cursorexporter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.simulator.EnterpriseMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.JarProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Issue 13, item 6: {@code /metrics} while Grafana loads the History board. The built jar (a separate process, the
 * container flags) is backfilled from the in-JVM simulator ({@code members} × {@code days}, Enterprise sources off
 * so that no sync runs during the load). Then {@code clients} simulated Grafana users each load the History board
 * {@code rounds} times: every query of {@code grafana-dashboards/cursor-history.json} at once (10 Infinity URLs and
 * one simPod query, variables at "All" as Grafana substitutes them), each user and round with its own range (the
 * board's default 90 days, started one day further back each time) so that no answer comes from the cache. The
 * rounds of all users start together. A {@link ScrapeProbe} of its own scrapes {@code /metrics} back to back the
 * whole time; its scrapes inside a round are "during the load", those inside the idle pauses between and around
 * the rounds are "idle", so idle and loaded scrapes are interleaved.
 */
final class LoadBenchmark {
    private static final Path BOARD = Path.of("grafana-dashboards", "cursor-history.json");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(team|location|user|model)(?::[a-z]+)?}");
    private static final Set<String> ADMIN_SOURCES = Set.of("members", "spend", "daily_usage", "usage_events");
    private static final int BOARD_DAYS = 90;
    /** Whether the probe asks for gzip, as Prometheus does (default); false measures an uncompressed scraper. */
    private static final boolean SCRAPE_GZIP = Boolean.parseBoolean(System.getProperty("bench.scrapeGzip", "true"));

    private final Loopback scrapes = new Loopback();
    private final ObjectMapper mapper = new ObjectMapper();

    void run(int members, int days, Path work, List<String> jvmArgs, List<Integer> nices, int clients, int rounds,
             int idleMillis)
            throws Exception {
        List<Query> board = board();
        SimulatorOptions options = SimulatorOptions.builder().users(members).days(days).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).enterprise(EnterpriseMode.OFF).build();
        try (Simulator sim = Simulator.start(options)) {
            Path dataDir = work.resolve("load");
            Files.createDirectories(dataDir);
            Path yaml = work.resolve("load.yaml");
            Files.writeString(yaml, "sync:\n  rate_limits: {admin: 1000, usage_events: 1000, analytics_team: 1000, "
                    + "analytics_by_user: 1000, ai_code: 1000}\n");
            long started = System.nanoTime();
            for (int i = 0; i < nices.size(); i++) {
                // the first run backfills; the next ones restart the jar on the same store
                List<String> flags = new ArrayList<>(jvmArgs);
                flags.add("-Dcursor.exporter.datasourceNice=" + nices.get(i));
                long since = System.currentTimeMillis();
                Process exporter = start(sim, days, dataDir, yaml, flags, work);
                String base = "http://127.0.0.1:" + port;
                try {
                    awaitSynced(base, exporter, since);
                    if (i == 0) {
                        System.out.printf("RESULT load: %d members x %d days backfilled in %.0f s; JVM flags: %s%n",
                                members, days, (System.nanoTime() - started) / 1e9, String.join(" ", jvmArgs));
                    }
                    SnapshotWait.Built before = SnapshotWait.await(scrapes, base);
                    System.out.printf("RESULT load run %d: datasource workers at nice %d; the snapshot of the last "
                            + "sync took %.1f s to build%n", i + 1, nices.get(i), before.buildSeconds());
                    measure(base, board, clients, rounds, idleMillis);
                    SnapshotWait.Built after = SnapshotWait.current(scrapes, base);
                    System.out.printf("RESULT load run %d: snapshot rebuilt during the measurement: %s%n", i + 1,
                            after.builtAtSeconds() != before.builtAtSeconds() ? "yes (it overlapped the load)" : "no");
                } finally {
                    exporter.destroy();
                    if (!exporter.waitFor(60, TimeUnit.SECONDS)) {
                        exporter.destroyForcibly().waitFor();
                    }
                }
            }
        }
    }

    private final int port = JarProcess.freePort();

    private Process start(Simulator sim, int days, Path dataDir, Path yaml, List<String> jvmArgs, Path work)
            throws IOException {
        Map<String, String> env = Map.of("CURSOR_API_KEY", sim.apiKey(),
                "CURSOR_API_BASE_URL", sim.baseUrl().toString(),
                "CURSOR_EXPORTER_BACKFILL_DAYS", Integer.toString(days - 1),
                "CURSOR_EXPORTER_DATA_DIR", dataDir.toString(),
                "CURSOR_EXPORTER_PORT", Integer.toString(port),
                "CURSOR_EXPORTER_CONFIG", yaml.toString());
        Path log = work.resolve("exporter-load.log");
        return ExporterJar.start(jvmArgs, env, log);
    }

    private void measure(String base, List<Query> board, int clients, int rounds, int idleMillis)
            throws Exception {
        String metrics = base + "/metrics";
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient grafana = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try (ScrapeProbe.Running probe = ScrapeProbe.start(metrics, SCRAPE_GZIP)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // warm-up: the probe's first scrapes, and one board load (JIT, SQLite's page cache) with a range not used
            Thread.sleep(idleMillis);
            loadBoard(grafana, base, board, now.minus(Duration.ofDays(BOARD_DAYS + 1000)), now).join();

            List<long[]> idleWindows = new ArrayList<>();
            List<long[]> loadWindows = new ArrayList<>();
            Samples requests = new Samples();
            Samples boardLoads = new Samples();
            Map<String, Samples> perQuery = new TreeMap<>();
            Map<String, Integer> statuses = new TreeMap<>();
            long loadNanos = 0;
            for (int round = 0; round < rounds; round++) {
                idleWindows.add(idle(idleMillis));
                List<CompletableFuture<List<Answer>>> users = new ArrayList<>();
                long roundStartMs = System.currentTimeMillis();
                long roundStart = System.nanoTime();
                for (int client = 0; client < clients; client++) {
                    Instant from = now.minus(Duration.ofDays(BOARD_DAYS + (long) round * clients + client));
                    users.add(loadBoard(grafana, base, board, from, now));
                }
                CompletableFuture.allOf(users.toArray(CompletableFuture[]::new)).join();
                loadWindows.add(new long[]{roundStartMs, System.currentTimeMillis()});
                loadNanos += System.nanoTime() - roundStart;
                for (CompletableFuture<List<Answer>> user : users) {
                    long last = 0;
                    for (Answer a : user.join()) {
                        statuses.merge(a.status(), 1, Integer::sum);
                        if (a.status().equals("200")) {
                            requests.add(a.nanos());
                            perQuery.computeIfAbsent(a.query(), q -> new Samples()).add(a.nanos());
                        }
                        last = Math.max(last, a.nanos());
                    }
                    boardLoads.add(last);
                }
            }
            idleWindows.add(idle(idleMillis));
            // scrapes wholly inside a window: one that spans the start or end of a load counts as neither
            Samples idle = new Samples();
            Samples loaded = new Samples();
            idleWindows.forEach(w -> probe.within(w[0], w[1]).forEach(idle::add));
            loadWindows.forEach(w -> probe.within(w[0], w[1]).forEach(loaded::add));
            if (!probe.errors().isEmpty()) {
                throw new IllegalStateException("scrapes failed: " + probe.errors());
            }
            long errors = statuses.entrySet().stream().filter(e -> !e.getKey().equals("200"))
                    .mapToLong(Map.Entry::getValue).sum();
            String load = String.format("%d clients x %d queries of the History board x %d rounds, fresh %d+-day "
                    + "ranges", clients, board.size(), rounds, BOARD_DAYS);
            System.out.printf("RESULT load (%s): per request p50 %s p95 %s max %s over %d answers; board load "
                            + "(all %d queries of one client) p50 %s p95 %s; errors %d; statuses %s; %.1f s under "
                            + "load%n", load, Samples.ms(requests.median()), Samples.ms(requests.percentile(95)),
                    Samples.ms(requests.percentile(100)), requests.size(), board.size(),
                    Samples.ms(boardLoads.median()), Samples.ms(boardLoads.percentile(95)), errors, statuses,
                    loadNanos / 1e9);
            for (Map.Entry<String, Samples> e : perQuery.entrySet()) {
                System.out.printf("RESULT load query %s: p50 %s p95 %s (%d answers)%n", e.getKey(),
                        Samples.ms(e.getValue().median()), Samples.ms(e.getValue().percentile(95)),
                        e.getValue().size());
            }
            System.out.printf("RESULT load /metrics during the load: p50 %s p95 %s max %s (%d scrapes); idle, "
                            + "between and around the rounds: p50 %s p95 %s max %s (%d scrapes); median ratio %.2f "
                            + "(target <= 1.2; scraped by a process of its own, %s)%n",
                    Samples.ms(loaded.median()), Samples.ms(loaded.percentile(95)),
                    Samples.ms(loaded.percentile(100)), loaded.size(), Samples.ms(idle.median()),
                    Samples.ms(idle.percentile(95)), Samples.ms(idle.percentile(100)), idle.size(),
                    (double) loaded.median() / idle.median(),
                    SCRAPE_GZIP ? "gzip, as Prometheus" : "uncompressed");
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /** Waits {@code millis} with no load; the window it covered (epoch ms). */
    private static long[] idle(int millis) throws InterruptedException {
        long start = System.currentTimeMillis();
        Thread.sleep(millis);
        return new long[]{start, System.currentTimeMillis()};
    }

    /** One query of the board: an Infinity GET (URL with Grafana's variables) or a simPod query body. */
    private record Query(String panel, String url, String simpodTarget) {
    }

    private record Answer(String query, String status, long nanos) {
    }

    /** Every query of the board at once, as Grafana sends a dashboard's panels; the answers, read whole. */
    private CompletableFuture<List<Answer>> loadBoard(HttpClient client, String base, List<Query> board,
                                                      Instant from, Instant to) {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (Query q : board) {
            HttpRequest.Builder request;
            String name;
            if (q.url() != null) {
                String url = q.url().replace("${__timeFrom}", Long.toString(from.toEpochMilli()))
                        .replace("${__timeTo}", Long.toString(to.toEpochMilli()));
                url = VARIABLE.matcher(url).replaceAll(".*"); // "All", the variables' allValue
                if (url.contains("$")) {
                    throw new IllegalStateException("unsubstituted variable in " + url);
                }
                java.util.regex.Matcher by = Pattern.compile("[?&](by=[^&]*)").matcher(q.url());
                name = "GET " + q.url().replaceAll("\\?.*", "") + (by.find() ? "?" + by.group(1) : "");
                request = HttpRequest.newBuilder(URI.create(base + url)).GET();
            } else {
                long rangeMs = to.toEpochMilli() - from.toEpochMilli();
                long intervalMs = Math.max(3_600_000L, rangeMs / 1000 / 3_600_000L * 3_600_000L);
                String body = "{\"range\":{\"from\":\"" + DateTimeFormatter.ISO_INSTANT.format(from) + "\",\"to\":\""
                        + DateTimeFormatter.ISO_INSTANT.format(to) + "\",\"raw\":{\"from\":\"now-" + BOARD_DAYS
                        + "d\",\"to\":\"now\"}},\"interval\":\"" + intervalMs / 3_600_000L + "h\",\"intervalMs\":"
                        + intervalMs + ",\"maxDataPoints\":1000,\"targets\":[{\"refId\":\"A\",\"target\":\""
                        + q.simpodTarget() + "\",\"payload\":{}}],\"adhocFilters\":[]}";
                name = "POST /grafana/query " + q.simpodTarget();
                request = HttpRequest.newBuilder(URI.create(base + "/grafana/query"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            }
            long start = System.nanoTime();
            answers.add(client.sendAsync(request.timeout(Duration.ofMinutes(5)).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .handle((r, e) -> new Answer(name, e != null ? e.getClass().getSimpleName()
                            : Integer.toString(r.statusCode()), System.nanoTime() - start)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> answers.stream().map(CompletableFuture::join).toList());
    }

    /** The History board's datasource queries (Prometheus targets are not the exporter's datasource). */
    private List<Query> board() throws IOException {
        JsonNode json = mapper.readTree(BOARD.toFile());
        List<Query> out = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                if (target.has("url")) {
                    out.add(new Query(panel.path("title").asText(), target.path("url").asText(), null));
                } else if (target.has("target") && !target.has("expr")) {
                    out.add(new Query(panel.path("title").asText(), null, target.path("target").asText()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no datasource query in " + BOARD);
        }
        return out;
    }

    /** The four Admin sources backfilled and each polled since {@code sinceMs} (a restart's first poll done). */
    private void awaitSynced(String base, Process exporter, long sinceMs) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            if (!exporter.isAlive()) {
                throw new IllegalStateException("exporter exited during the backfill");
            }
            if (scrapes.status(base + "/healthz") == 200) {
                Exposition e = Exposition.parse(new String(scrapes.get(base + "/metrics"), StandardCharsets.UTF_8));
                long succeeded = e.samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                        .filter(s -> ADMIN_SOURCES.contains(s.labels().get("source")) && s.value() * 1000 >= sinceMs)
                        .count();
                List<Exposition.Sample> ratios = e.samples("cursor_exporter_backfill_progress_ratio").stream()
                        .filter(s -> ADMIN_SOURCES.contains(s.labels().get("source"))).toList();
                if (succeeded == ADMIN_SOURCES.size() && !ratios.isEmpty()
                        && ratios.stream().allMatch(s -> s.value() >= 1.0)) {
                    return;
                }
                if (System.nanoTime() - lastReport > 30e9) {
                    System.out.printf("  backfilling: %s%n", ratios.stream()
                            .map(s -> s.labels().get("source") + "=" + s.value()).toList());
                    lastReport = System.nanoTime();
                }
            }
            Thread.sleep(1000);
        }
    }
}
