package dev.cursorexporter.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.query.DatasourceQueries;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.JsonHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 13, item 4: the datasource can never occupy the threads that serve {@code /metrics} and {@code /healthz}.
 * Every datasource computation is held on a latch (the store's daily queries block), and more datasource requests
 * are sent at once than there are threads of any kind; the scrape and the liveness probe still answer, the requests
 * beyond what the datasource takes get a JSON 503 at once, and the JVM's thread count stays bounded. No timing is
 * asserted but generous time-outs.
 */
class ScrapeIsolationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T15:30:00Z"), ZoneOffset.UTC);
    private static final int CONCURRENT = 1_000;

    @Test
    @Timeout(120)
    void scrapesAnswerWhileEveryDatasourceThreadIsBlocked(@TempDir Path dir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger computing = new AtomicInteger();
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (SqliteStore store = SqliteStore.open(dir)) {
            UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
            MetricsPlane metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"),
                    () -> Directory.EMPTY, labeler, CLOCK), "test", "live");
            DatasourceQueries queries = new DatasourceQueries(store, blocking(store.daily(), release, computing),
                    () -> Directory.EMPTY, labeler, CLOCK);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            try (HttpServer server = new HttpServer("127.0.0.1", 0, metrics, () -> true, "live", Optional.empty(),
                    queries).start()) {
                String base = "http://127.0.0.1:" + server.port();
                assertEquals(200, get(client, base + "/metrics").statusCode()); // the snapshot built, warm
                int before = threads.getThreadCount();
                threads.resetPeakThreadCount();

                // distinct questions (a day's range each), so that none shares another's computation
                LocalDate to = LocalDate.parse("2026-11-20");
                for (int i = 0; i < CONCURRENT; i++) {
                    String url = i % 10 == 9
                            ? base + "/grafana/query"
                            : base + "/api/v1/daily?by=team&from=" + to.minusDays(i) + "&to=" + to.minusDays(i);
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(90));
                    if (i % 10 == 9) {
                        String day = to.minusDays(i) + "T00:00:00.000Z";
                        request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"range\":{\"from\":\"" + day + "\",\"to\":\"" + day + "\"},\"targets\":"
                                        + "[{\"target\":\"cost\",\"refId\":\"A\"}]}"));
                    }
                    answers.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
                }

                // Every request the datasource cannot take is refused at once, while the others are all held.
                int accepted = DatasourceWorkers.THREADS + DatasourceWorkers.QUEUE;
                int refused = CONCURRENT - accepted;
                List<HttpResponse<String>> busy = awaitAnswers(answers, refused, Duration.ofSeconds(60));
                for (HttpResponse<String> r : busy) {
                    assertEquals(503, r.statusCode(), r.body());
                    JsonNode body = JsonHttp.MAPPER.readTree(r.body());
                    assertTrue(body.path("error").asText().startsWith("the datasource is busy: "), r.body());
                    assertEquals(Optional.of(DatasourceWorkers.RETRY_AFTER_SECONDS),
                            r.headers().firstValue("Retry-After"));
                    assertEquals(Optional.of("application/json"), r.headers().firstValue("Content-Type")
                            .map(t -> t.replaceAll(";.*", "")));
                }
                assertEquals(refused, answers.stream().filter(CompletableFuture::isDone).count(),
                        "only the refused requests are answered while every computation is held");
                assertEquals(DatasourceQueries.CONCURRENT_COMPUTATIONS, computing.get(),
                        "computations held (as many as DatasourceQueries runs at once)");

                // The scrape and the probes answer while every datasource thread is blocked and the queue is full.
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> scrape = get(client, base + "/metrics");
                    assertEquals(200, scrape.statusCode());
                    assertTrue(scrape.body().contains("cursor_exporter_build_info"), "a whole scrape");
                    assertEquals(200, get(client, base + "/healthz").statusCode());
                    assertEquals(200, get(client, base + "/readyz").statusCode());
                }
                int peak = threads.getPeakThreadCount();
                // Jetty's pool, the datasource workers and a few of the client's and the JVM's own; not one
                // thread per request (1,000)
                int bound = HttpServer.MAX_HTTP_THREADS + DatasourceWorkers.THREADS + 20;
                assertTrue(peak - before <= bound, "threads: " + before + " before, peak " + peak
                        + " under " + CONCURRENT + " concurrent datasource requests; at most " + bound + " more");

                release.countDown();
                for (CompletableFuture<HttpResponse<String>> a : answers) {
                    HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
                    assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
                }
                assertEquals(accepted, answers.stream().filter(a -> a.join().statusCode() == 200).count(),
                        "every request the datasource took is answered once the computations go on");
            } finally {
                release.countDown();
            }
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /** Linux only: the workers renice themselves; {@code /proc} shows each thread's nice value. */
    @Test
    @Timeout(60)
    void datasourceWorkersRunAtALowerPriority() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")) && renicePresent(), "Linux, renice installed");
        try (DatasourceWorkers workers = new DatasourceWorkers(2, 4)) {
            Map<String, Integer> nice = new TreeMap<>();
            CountDownLatch started = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                workers.execute(() -> {
                    started.countDown();
                    try {
                        started.await();
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            started.await();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("datasource-")) {
                        String stat = Files.readString(task.resolve("stat"));
                        // after "(comm)": state is field 3, nice field 19
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        nice.put(name, Integer.parseInt(fields[19 - 3]));
                    }
                }
            }
            assertEquals(Map.of("datasource-1", DatasourceWorkers.NICE, "datasource-2", DatasourceWorkers.NICE), nice);
        }
    }

    private static boolean renicePresent() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "renice")));
    }

    /** The store's daily queries, each held until {@code release}; {@code computing} counts those held. */
    private static DailyQueries blocking(DailyQueries daily, CountDownLatch release, AtomicInteger computing) {
        return (DailyQueries) Proxy.newProxyInstance(DailyQueries.class.getClassLoader(),
                new Class<?>[] {DailyQueries.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dailyUsageCost") || method.getName().equals("dailyActivity")) {
                        computing.incrementAndGet();
                        try {
                            release.await();
                        } finally {
                            computing.decrementAndGet();
                        }
                    }
                    try {
                        return method.invoke(daily, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The first {@code n} answers to arrive (in any order), waiting at most {@code limit}. */
    private static List<HttpResponse<String>> awaitAnswers(List<CompletableFuture<HttpResponse<String>>> answers,
                                                           int n, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (answers.stream().filter(CompletableFuture::isDone).count() < n) {
            assertTrue(System.nanoTime() < deadline, answers.stream().filter(CompletableFuture::isDone).count()
                    + " of the " + n + " expected refusals within " + limit);
            Thread.sleep(20);
        }
        Thread.sleep(500); // nothing more arrives: every other request is held
        return answers.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        // generous: the point is that they answer at all while the datasource is full, not how fast
        return client.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS);
    }
}
