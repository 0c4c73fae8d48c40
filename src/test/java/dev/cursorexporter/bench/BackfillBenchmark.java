package dev.cursorexporter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.directory.DirectoryReloader;
import dev.cursorexporter.directory.LayeredDirectory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.query.Dimension;
import dev.cursorexporter.query.SeriesQuery;
import dev.cursorexporter.simulator.RecordedRequest;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.sync.DayWindow;
import dev.cursorexporter.sync.WindowPlanner;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.JarProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A first backfill by the built jar (a separate process, as users run it) against an in-JVM simulator with rate
 * limits off: start-up time to {@code /healthz}, API calls against the fewest pages that could hold the data,
 * resident memory once the backfill is stored, and {@code /api/v1/daily?by=model} over the whole range.
 */
final class BackfillBenchmark {
    private static final String MEMBERS = "/teams/members";
    private static final String SPEND = "/teams/spend";
    private static final String DAILY = "/teams/daily-usage-data";
    private static final String EVENTS = "/teams/filtered-usage-events";

    private static final Set<String> ADMIN_SOURCES = Set.of(Source.MEMBERS.label(), Source.SPEND.label(),
            Source.DAILY_USAGE.label(), Source.USAGE_EVENTS.label());

    private final Loopback http = new Loopback();
    private final ObjectMapper mapper = new ObjectMapper();

    void run(int members, int days, Path work, List<String> jvmArgs, int queryRuns) throws Exception {
        SimulatorOptions options = SimulatorOptions.builder().users(members).days(days).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build();
        try (Simulator sim = Simulator.start(options)) {
            ClientSettings client = ClientSettings.defaults();
            Instant now = Instant.ofEpochMilli(sim.totals().nowMs());
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            // backfill days - 1: that many complete days plus today are exactly the simulator's history
            List<DayWindow> windows = new WindowPlanner(days - 1, 2, CursorApi.MAX_WINDOW_DAYS).plan(today, Set.of());
            Map<String, Long> minimum = minimumPages(sim, windows, now, client);
            long eventsTotal = totalEvents(sim, windows, now);
            System.out.printf("RESULT backfill: %d members x %d days, %d usage events, %d windows per day-based "
                            + "source (%d would do: ceil(%d/%d))%n", members, days, eventsTotal, windows.size(),
                    (days + CursorApi.MAX_WINDOW_DAYS - 1) / CursorApi.MAX_WINDOW_DAYS, days,
                    CursorApi.MAX_WINDOW_DAYS);
            Map<String, Long> before = counts(sim);

            Path dataDir = work.resolve("backfill");
            Files.createDirectories(dataDir);
            // The simulator's limits are off; the exporter's own pacing is set to its highest allowed rate.
            Path yaml = work.resolve("bench.yaml");
            Files.writeString(yaml, "sync:\n  rate_limits: {admin: 1000, usage_events: 1000, analytics_team: 1000, "
                    + "analytics_by_user: 1000, ai_code: 1000}\n");
            int port = JarProcess.freePort();
            Map<String, String> env = Map.of("CURSOR_API_KEY", sim.apiKey(),
                    "CURSOR_API_BASE_URL", sim.baseUrl().toString(),
                    "CURSOR_EXPORTER_BACKFILL_DAYS", Integer.toString(days - 1),
                    "CURSOR_EXPORTER_DATA_DIR", dataDir.toString(),
                    "CURSOR_EXPORTER_PORT", Integer.toString(port),
                    "CURSOR_EXPORTER_CONFIG", yaml.toString());
            Path log = work.resolve("exporter.log");
            String base = "http://127.0.0.1:" + port;
            long started = System.nanoTime();
            Process exporter = ExporterJar.start(jvmArgs, env, log);
            try {
                while (http.status(base + "/healthz") != 200) {
                    if (!exporter.isAlive()) {
                        throw new IllegalStateException("exporter exited; see " + work.resolve("exporter.log"));
                    }
                    Thread.sleep(5);
                }
                long startup = System.nanoTime() - started;
                System.out.printf("RESULT startup: jar process start to first 200 on /healthz %s (JVM flags: %s)%n",
                        Samples.ms(startup), jvmArgs.isEmpty() ? "none" : String.join(" ", jvmArgs));

                awaitBackfill(http, base, exporter);
                double backfillSeconds = (System.nanoTime() - started) / 1e9;
                Thread.sleep(2000); // let the post-sync snapshot rebuild finish before reading memory
                Map<String, String> status = procStatus(exporter.pid());
                long dbBytes = Files.size(dataDir.resolve(SqliteStore.FILE_NAME));
                System.out.printf("RESULT memory: after the %d-day backfill (%.0f s): VmRSS %s, VmHWM (peak) %s; "
                                + "database %.0f MB%n", days, backfillSeconds, status.get("VmRSS"),
                        status.get("VmHWM"), dbBytes / 1e6);

                Map<String, Long> after = counts(sim);
                long actualTotal = 0;
                long minimumTotal = 0;
                for (String path : List.of(MEMBERS, SPEND, DAILY, EVENTS)) {
                    long actual = after.getOrDefault(path, 0L) - before.getOrDefault(path, 0L);
                    actualTotal += actual;
                    minimumTotal += minimum.get(path);
                    System.out.printf("RESULT api-calls %s: %d made, %d minimum%n", path, actual, minimum.get(path));
                }
                System.out.printf("RESULT api-calls total (4 Admin endpoints): %d made, %d minimum (target equal)%n",
                        actualTotal, minimumTotal);
                Map<String, Long> other = new TreeMap<>();
                after.forEach((path, n) -> {
                    if (!List.of(MEMBERS, SPEND, DAILY, EVENTS).contains(path)) {
                        other.put(path, n - before.getOrDefault(path, 0L));
                    }
                });
                System.out.printf("RESULT api-calls other (Enterprise probes, not part of the minimum): %s%n", other);

                String daily = base + "/api/v1/daily?by=model&from=" + today.minusDays(days - 1L) + "&to=" + today;
                long first = http.time(daily);
                Samples cached = new Samples();
                for (int i = 0; i < queryRuns; i++) {
                    cached.add(http.time(daily));
                }
                System.out.printf("RESULT daily-by-model HTTP, %d days: first call (computed, cache empty) %s; "
                                + "cached median %s p95 %s over %d calls (%d bytes)%n", days, Samples.ms(first),
                        Samples.ms(cached.median()), Samples.ms(cached.percentile(95)), queryRuns,
                        http.get(daily).length);
                boardQuestions(base, today);
                datasourceLoad(base, exporter.pid(), today);
            } finally {
                exporter.destroy();
                if (!exporter.waitFor(60, TimeUnit.SECONDS)) {
                    exporter.destroyForcibly().waitFor();
                }
            }
            uncachedQuery(dataDir, today.minusDays(days - 1L), today, Math.max(5, queryRuns / 10));
        }
    }

    /**
     * The questions the shipped boards ask at their default ranges (overview, spend and people: 7 days; adoption:
     * 30; history: 90), each first computed (cache empty for that range) and then cached, as a board load and a
     * refresh would see them.
     */
    private void boardQuestions(String base, LocalDate today) throws Exception {
        record Question(String name, String path, int days) {
        }
        List<Question> questions = List.of(
                new Question("totals (Cost in range)", "/api/v1/totals?", 7),
                new Question("totals by=model (Cost by model)", "/api/v1/totals?by=model", 7),
                new Question("totals by=user,team (Per-member cost)", "/api/v1/totals?by=user,team", 7),
                new Question("totals by=user,billing (Included vs on-demand)", "/api/v1/totals?by=user,billing", 7),
                new Question("totals by=team (Features by team)", "/api/v1/totals?by=team", 30),
                new Question("daily by=team (History: daily cost by team)", "/api/v1/daily?by=team", 90),
                new Question("daily by=user (People: daily cost per member)", "/api/v1/daily?by=user", 7));
        for (Question q : questions) {
            String url = base + q.path() + (q.path().endsWith("?") ? "" : "&") + "from="
                    + today.minusDays(q.days()) + "&to=" + today;
            long first = http.time(url);
            Samples cached = new Samples();
            for (int i = 0; i < 50; i++) {
                cached.add(http.time(url));
            }
            System.out.printf("RESULT board question %s, %d days: first call %s; cached median %s p95 %s (%d bytes)%n",
                    q.name(), q.days(), Samples.ms(first), Samples.ms(cached.median()),
                    Samples.ms(cached.percentile(95)), http.get(url).length);
        }
    }

    /**
     * Memory under the heaviest datasource use the answer limit allows: rounds of five concurrent per-user answers
     * of about 90 days (~90,000 rows, ~25 MB of JSON each), each round with new ranges so nothing is cached.
     */
    private void datasourceLoad(String base, long pid, LocalDate today) throws Exception {
        ExecutorService panels = Executors.newFixedThreadPool(5);
        try {
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int round = 0; round < 3; round++) {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int panel = 0; panel < 5; panel++) {
                    String url = base + "/api/v1/daily?by=user&from=" + today.minusDays(69 + 5 * panel + round)
                            + "&to=" + today;
                    answers.add(panels.submit(() -> http.status(url)));
                }
                for (Future<Integer> a : answers) {
                    statuses.merge(a.get(), 1, Integer::sum);
                }
            }
            Map<String, String> status = procStatus(pid);
            System.out.printf("RESULT memory under datasource load (3 rounds of 5 concurrent by=user answers of 70 to "
                            + "92 days): VmRSS %s, VmHWM (peak) %s; HTTP statuses %s%n", status.get("VmRSS"),
                    status.get("VmHWM"), statuses);
        } finally {
            panels.shutdownNow();
        }
    }

    /** The computation behind the endpoint, in-process on the backfilled file, the cache dropped before each run. */
    private static void uncachedQuery(Path dataDir, LocalDate from, LocalDate to, int runs) throws IOException {
        try (SqliteStore store = SqliteStore.open(dataDir);
             DirectoryReloader directory = new DirectoryReloader(Optional.empty(), List.of(),
                     LayeredDirectory.NO_BILLING_GROUPS)) {
            DatasourceQueries queries = new DatasourceQueries(store, store.daily(), directory::current,
                    new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), Clock.systemUTC());
            SeriesQuery query = new SeriesQuery(from, to, 1, List.of(Dimension.MODEL), List.of(), false);
            int rows = queries.series(query).size(); // warm-up (JIT, SQLite page cache)
            Samples uncached = new Samples();
            for (int i = 0; i < runs; i++) {
                queries.invalidate();
                long start = System.nanoTime();
                queries.series(query);
                uncached.add(System.nanoTime() - start);
            }
            System.out.printf("RESULT daily-by-model uncached computation (in-process, cache invalidated each run, "
                            + "warm SQLite page cache, no JSON): median %s p95 %s over %d runs, %d rows%n",
                    Samples.ms(uncached.median()), Samples.ms(uncached.percentile(95)), runs, rows);
        }
    }

    static void awaitBackfill(Loopback http, String base, Process exporter) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            if (!exporter.isAlive()) {
                throw new IllegalStateException("exporter exited during the backfill");
            }
            Exposition e = Exposition.parse(new String(http.get(base + "/metrics"), StandardCharsets.UTF_8));
            // Only the four Admin sources: the targets are about them, and the simulator's AI Code Tracking
            // history for 1,000 members x 365 days takes it many minutes to generate.
            long succeeded = e.samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                    .filter(s -> ADMIN_SOURCES.contains(s.labels().get("source")) && s.value() > 0).count();
            List<Exposition.Sample> ratios = e.samples("cursor_exporter_backfill_progress_ratio");
            boolean complete = !ratios.isEmpty() && ratios.stream().allMatch(s -> s.value() >= 1.0);
            if (succeeded == ADMIN_SOURCES.size() && complete) {
                return;
            }
            if (System.nanoTime() - lastReport > 30e9) {
                System.out.printf("  backfilling: %s%n", ratios.stream()
                        .map(s -> s.labels().get("source") + "=" + s.value()).toList());
                lastReport = System.nanoTime();
            }
            Thread.sleep(1000);
        }
    }

    /** Σ over the planned windows of ⌈rows/pageSize⌉ (at least one request per window) per Admin endpoint. */
    private Map<String, Long> minimumPages(Simulator sim, List<DayWindow> windows, Instant now,
                                           ClientSettings client) {
        Map<String, Long> out = new TreeMap<>();
        out.put(MEMBERS, 1L);
        JsonNode spend = post(sim, SPEND, "{\"page\":1,\"pageSize\":" + client.spendPageSize() + "}");
        out.put(SPEND, Math.max(1, ceil(spend.path("totalMembers").asLong(), client.spendPageSize())));
        long daily = 0;
        long events = 0;
        for (DayWindow w : windows) {
            long startMs = w.from().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            long dayEndMs = w.to().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            JsonNode d = post(sim, DAILY, "{\"startDate\":" + startMs + ",\"endDate\":" + dayEndMs
                    + ",\"page\":1,\"pageSize\":" + client.dailyUsagePageSize() + "}");
            daily += Math.max(1, ceil(d.path("pagination").path("totalUsers").asLong(), client.dailyUsagePageSize()));
            events += Math.max(1, ceil(eventCount(sim, w, now), client.eventsPageSize()));
        }
        out.put(DAILY, daily);
        out.put(EVENTS, events);
        return out;
    }

    private long totalEvents(Simulator sim, List<DayWindow> windows, Instant now) {
        return windows.stream().mapToLong(w -> eventCount(sim, w, now)).sum();
    }

    private long eventCount(Simulator sim, DayWindow w, Instant now) {
        long startMs = w.from().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long endMs = Math.min(w.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1,
                now.toEpochMilli());
        return post(sim, EVENTS, "{\"startDate\":" + startMs + ",\"endDate\":" + endMs
                + ",\"page\":1,\"pageSize\":1}").path("totalUsageEventsCount").asLong();
    }

    private static long ceil(long rows, long pageSize) {
        return (rows + pageSize - 1) / pageSize;
    }

    private JsonNode post(Simulator sim, String path, String body) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((sim.apiKey() + ":")
                .getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(sim.baseUrl() + path)).header("Authorization", auth)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return mapper.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Requests the simulator received, by path: the Admin endpoints from its counters, the rest from its log. */
    private static Map<String, Long> counts(Simulator sim) {
        Map<String, Long> out = new TreeMap<>();
        for (RecordedRequest r : sim.requests()) {
            out.merge(r.path(), 1L, Long::sum);
        }
        for (String path : List.of(MEMBERS, SPEND, DAILY, EVENTS)) {
            out.put(path, sim.requestCount(path));
        }
        return out;
    }

    static Map<String, String> procStatus(long pid) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }
}
