package dev.cursorexporter.bench;

import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A large organisation in a small container: the built jar, with the Dockerfile's flags and the heap a 256 MiB
 * container gives it, syncs {@code members} members × {@code days} days from the in-JVM simulator (limits off),
 * serves {@code /metrics}, is stopped and started again on the same store. Prints sync time, resident memory, the
 * scrape against static same bytes, and the restart; an OutOfMemoryError ends the part with an exception.
 */
final class ScaleBenchmark {
    private static final Set<String> CORE = Set.of("members", "spend", "daily_usage", "usage_events");
    private final Loopback http = new Loopback();

    void run(int members, int days, Path work, String jvmFlags, int rounds) throws Exception {
        Path dir = work.resolve("scale-" + members);
        Files.createDirectories(dir);
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(members).days(days).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, days - 1);
            env.put("JAVA_TOOL_OPTIONS", jvmFlags);
            env.put("MALLOC_ARENA_MAX", MemoryFootprintIT.MALLOC_ARENA_MAX);
            String url = "http://127.0.0.1:" + env.get("CURSOR_EXPORTER_PORT");
            Path log = dir.resolve("exporter.log");
            Instant start = Instant.now();
            try (JarProcess exporter = JarProcess.start(env, log)) {
                awaitCoreSynced(exporter, url, start);
                double syncSeconds = Duration.between(start, Instant.now()).toMillis() / 1e3;
                Thread.sleep(2000); // the snapshot rebuild after the last core source
                byte[] body = http.get(url + "/metrics");
                Exposition scrape = Exposition.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                System.out.printf("RESULT scale: %d members x %d days synced in %.0f s (JVM flags: %s); %s%n",
                        members, days, syncSeconds, jvmFlags, memory(exporter.pid()));
                System.out.printf("RESULT scale: /metrics %d bytes, %d series; users kept %d, folded %.0f; "
                                + "metrics at the cap %.0f%n", body.length, scrape.all().size(),
                        scrape.samples("cursor_usage_cost_usd_total").stream().map(s -> s.labels().get("user"))
                                .distinct().count(),
                        scrape.sum("cursor_exporter_folded_label_values", l -> l.get("label").equals("user")),
                        scrape.sum("cursor_exporter_series_capped", l -> true));
                scrapeVersusStatic(url + "/metrics", body, rounds);
                System.out.printf("RESULT scale: after %d scrapes: %s%n", rounds * 2, memory(exporter.pid()));
                // as Prometheus asks (OpenMetrics, gzip): the exporter then also holds that format's body and its
                // compressed snapshot part
                try (ScrapeProbe.Running prometheus = ScrapeProbe.start(url + "/metrics", true)) {
                    Thread.sleep(10_000);
                    Samples gzipped = new Samples();
                    prometheus.within(0, Long.MAX_VALUE).forEach(gzipped::add);
                    System.out.printf("RESULT scale: after %d scrapes as Prometheus asks (OpenMetrics, gzip; p50 %s): "
                            + "%s%n", gzipped.size(), Samples.ms(gzipped.median()), memory(exporter.pid()));
                }
                exporter.terminate(Duration.ofSeconds(30));
            }
            Instant restart = Instant.now();
            try (JarProcess exporter = JarProcess.start(env, log)) {
                long listening = -1;
                while (true) {
                    if (!exporter.isAlive()) {
                        throw new IllegalStateException("the exporter died on restart; see " + log);
                    }
                    if (listening < 0 && Http.isUp(url + "/healthz")) {
                        listening = Duration.between(restart, Instant.now()).toMillis();
                    }
                    if (http.status(url + "/readyz") == 200) {
                        break;
                    }
                    Thread.sleep(50);
                }
                long ready = Duration.between(restart, Instant.now()).toMillis();
                int bytes = http.get(url + "/metrics").length;
                System.out.printf("RESULT scale: restart on the same store: /healthz after %d ms, /readyz after %d ms; "
                        + "/metrics %d bytes; %s%n", listening, ready, bytes, memory(exporter.pid()));
                exporter.terminate(Duration.ofSeconds(30));
            }
            long ooms = Files.readAllLines(log).stream().filter(l -> l.contains("java.lang.OutOfMemoryError"))
                    .count();
            System.out.printf("RESULT scale: OutOfMemoryError lines in the log: %d%n", ooms);
        }
    }

    private void awaitCoreSynced(JarProcess exporter, String url, Instant start) {
        Http.await(Duration.ofMinutes(40), "the core sources of the large organisation", () -> {
            if (!exporter.isAlive()) {
                throw new IllegalStateException("the exporter died (OutOfMemoryError?):\n" + tail(exporter.output()));
            }
            if (!Http.isUp(url + "/healthz")) {
                return false;
            }
            Exposition m = Exposition.parse(Http.get(url + "/metrics").body());
            return m.samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                    .filter(s -> CORE.contains(s.labels().get("source")) && s.value() >= start.getEpochSecond())
                    .count() == CORE.size();
        });
    }

    /** Alternating requests: the exporter's /metrics and a harness server answering the same bytes. */
    private void scrapeVersusStatic(String metrics, byte[] body, int rounds) {
        Javalin stat = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.get("/static", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(body));
        }).start();
        try {
            String staticUrl = "http://127.0.0.1:" + stat.port() + "/static";
            Samples live = new Samples();
            Samples fixed = new Samples();
            for (int i = 0; i < rounds + 5; i++) {
                long a = http.time(metrics);
                long b = http.time(staticUrl);
                if (i >= 5) {
                    live.add(a);
                    fixed.add(b);
                }
            }
            System.out.printf("RESULT scale: /metrics median %s p95 %s | static same bytes (harness JVM) median %s "
                            + "p95 %s | ratio of medians %.2f | %d rounds%n", Samples.ms(live.median()),
                    Samples.ms(live.percentile(95)), Samples.ms(fixed.median()), Samples.ms(fixed.percentile(95)),
                    (double) live.median() / fixed.median(), rounds);
        } finally {
            stat.stop();
        }
    }

    private static String memory(long pid) {
        try {
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            return line(status, "VmRSS") + ", peak " + line(status, "VmHWM");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).findFirst().orElse(key + ": ?")
                .replaceAll("\\s+", " ");
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
    }
}
