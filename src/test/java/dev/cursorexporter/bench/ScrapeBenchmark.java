package dev.cursorexporter.bench;

import dev.cursorexporter.App;
import dev.cursorexporter.AppOptions;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /metrics} against its limit: the exporter is filled from a simulator of {@code members} members, then one
 * Javalin server (configured as {@code HttpServer}) serves both the live scrape of the exporter's metrics plane and
 * a pre-rendered byte array of the same scrape. Requests alternate, so machine noise hits both alike.
 */
final class ScrapeBenchmark {
    private static final int HISTORY_DAYS = 7;
    private final Loopback http = new Loopback();

    void run(int members, Path work, int warmup, int rounds) {
        SimulatorOptions options = SimulatorOptions.builder().users(members).days(HISTORY_DAYS).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build();
        try (Simulator sim = Simulator.start(options)) {
            ExporterConfig config = ExporterHarness.config(sim, work.resolve("scrape-" + members), HISTORY_DAYS,
                    UserLabelMode.EMAIL);
            Map<BudgetFamily, Integer> unpaced = new EnumMap<>(BudgetFamily.class);
            for (BudgetFamily family : BudgetFamily.values()) {
                unpaced.put(family, 1_000_000); // the simulator's limits are off: no need to pace the fill
            }
            config = config.toBuilder().rateLimits(unpaced).build();
            long fillStart = System.nanoTime();
            try (App app = App.start(config, Clock.systemUTC(), AppOptions.defaults())) {
                String exporterMetrics = "http://127.0.0.1:" + app.port() + "/metrics";
                Exposition synced = awaitSynced(exporterMetrics);
                double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
                MetricsPlane plane = app.metrics();
                MetricsPlane.Scrape rendered = plane.scrape(null);
                Javalin bench = server(plane, rendered);
                try {
                    String live = "http://127.0.0.1:" + bench.port() + "/metrics";
                    String limit = "http://127.0.0.1:" + bench.port() + "/static";
                    Samples liveTimes = new Samples();
                    Samples staticTimes = new Samples();
                    Samples exporterTimes = new Samples();
                    for (int i = 0; i < warmup + rounds; i++) {
                        long a = http.time(live);
                        long b = http.time(limit);
                        long c = http.time(exporterMetrics);
                        if (i >= warmup) {
                            liveTimes.add(a);
                            staticTimes.add(b);
                            exporterTimes.add(c);
                        }
                    }
                    List<Exposition.Sample> cost = synced.samples("cursor_usage_cost_usd_total");
                    long series = cost.size();
                    Set<String> models = new HashSet<>();
                    Set<String> users = new HashSet<>();
                    cost.forEach(s -> {
                        models.add(s.labels().get("model"));
                        users.add(s.labels().get("user"));
                    });
                    double ratio = (double) liveTimes.median() / staticTimes.median();
                    System.out.printf("RESULT scrape members=%d: %d bytes, %d lines, cursor_usage_cost_usd_total %d series, "
                                    + "%d users, %d models (store filled from %d days in %.1f s)%n",
                            members, rendered.body().length, lineCount(rendered.body()), series, users.size(),
                            models.size(),
                            HISTORY_DAYS, fillSeconds);
                    System.out.printf("RESULT scrape members=%d: /metrics median %s p95 %s | static same bytes median "
                                    + "%s p95 %s | ratio of medians %.2f (target <= 1.5) | exporter's own server "
                                    + "median %s | %d rounds after %d warm-up%n",
                            members, Samples.ms(liveTimes.median()), Samples.ms(liveTimes.percentile(95)),
                            Samples.ms(staticTimes.median()), Samples.ms(staticTimes.percentile(95)), ratio,
                            Samples.ms(exporterTimes.median()), rounds, warmup);
                } finally {
                    bench.stop();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Same Jetty settings as {@code HttpServer}; the live route is {@code HttpServer}'s /metrics handler. */
    private static Javalin server(MetricsPlane plane, MetricsPlane.Scrape rendered) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.http.maxRequestSize = 1_000_000;
            cfg.routes.get("/metrics", ctx -> {
                MetricsPlane.Scrape scrape = plane.scrape(ctx.header("Accept"));
                ctx.contentType(scrape.contentType()).result(scrape.stream()); // as HttpServer does
            });
            cfg.routes.get("/static", ctx -> ctx.contentType(rendered.contentType()).result(rendered.body()));
        }).start();
    }

    private static Exposition awaitSynced(String url) {
        Exposition[] last = new Exposition[1];
        Http.await(Duration.ofMinutes(20), "all sources synced", () -> {
            last[0] = Exposition.parse(Http.get(url).body());
            return last[0].samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                    .filter(s -> s.value() > 0).count() == Source.values().length;
        });
        return last[0];
    }

    private static long lineCount(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).lines().count();
    }
}
