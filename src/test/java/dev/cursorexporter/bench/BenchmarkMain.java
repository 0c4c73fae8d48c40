package dev.cursorexporter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark harness behind {@code ./mvnw -B -Pbenchmark verify} (see BENCHMARKS.md). Every figure is printed
 * on a line starting with {@code RESULT}. Sizes come from system properties so a slow machine can scale down:
 * <ul>
 *   <li>{@code bench.parts} (scrape,ingest,backfill; also history)</li>
 *   <li>{@code bench.scrapeMembers} (1000,5000), {@code bench.scrapeRounds} (100)</li>
 *   <li>{@code bench.ingestMembers} (1000), {@code bench.ingestDays} (7), {@code bench.ingestRuns} (5)</li>
 *   <li>{@code bench.members} (1000), {@code bench.days} (365), {@code bench.queryRuns} (200),
 *   {@code bench.jvmArgs} (container: the Dockerfile's flags plus {@code -XX:MaxRAM=256m}, as in a 256 MiB
 *   container; {@code none}; or the exporter jar's flags, space-separated)</li>
 *   <li>{@code scale} (not in the default parts): {@code bench.scaleMembers} (10000), {@code bench.scaleDays} (7),
 *   {@code bench.scaleRounds} (50); the jar always in the container flags</li>
 *   <li>part {@code load} (not in the default parts): {@code bench.members} × {@code bench.days} as above,
 *   {@code bench.loadClients} (6), {@code bench.loadRounds} (5), {@code bench.loadIdleMillis} (2000: each idle
 *   pause between and around the rounds), {@code bench.scrapeGzip} (true: the probe asks for gzip as Prometheus
 *   does), {@code bench.loadNice} (10,0: one run per nice value of the datasource workers, on the same store)</li>
 *   <li>history: {@code bench.members}, {@code bench.days}, {@code bench.jvmArgs} as above,
 *   {@code bench.historyColdRuns} (5), {@code bench.historyWarmRuns} (50), {@code bench.historyDataDir} (reuse
 *   a data directory an earlier history run backfilled)</li>
 * </ul>
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> parts = list("bench.parts", "scrape,ingest,backfill");
        Path work = Files.createTempDirectory("cursor-exporter-bench");
        System.out.printf("RESULT machine: %d processors, max heap %d MB, Java %s (%s), %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), Instant.now());
        System.out.println("work directory: " + work);
        if (parts.contains("scrape")) {
            ScrapeBenchmark scrape = new ScrapeBenchmark();
            for (String members : list("bench.scrapeMembers", "1000,5000")) {
                scrape.run(Integer.parseInt(members), work, 20, integer("bench.scrapeRounds", 100));
            }
        }
        if (parts.contains("ingest")) {
            new IngestBenchmark().run(integer("bench.ingestMembers", 1000), integer("bench.ingestDays", 7), work,
                    integer("bench.ingestRuns", 5));
        }
        List<String> jarFlags = jvmArgs();
        if (parts.contains("backfill")) {
            new BackfillBenchmark().run(integer("bench.members", 1000), integer("bench.days", 365), work,
                    jarFlags, integer("bench.queryRuns", 200));
        }
        if (parts.contains("history")) {
            new HistoryBenchmark().run(integer("bench.members", 1000), integer("bench.days", 365), work,
                    jarFlags, integer("bench.historyColdRuns", 5), integer("bench.historyWarmRuns", 50));
        }
        if (parts.contains("scale")) {
            new ScaleBenchmark().run(integer("bench.scaleMembers", 10_000), integer("bench.scaleDays", 7), work,
                    MemoryFootprintIT.CONTAINER_FLAGS, integer("bench.scaleRounds", 50));
        }
        if (parts.contains("load")) { // issue 13: /metrics while Grafana-like clients load the History board
            new LoadBenchmark().run(integer("bench.members", 1000), integer("bench.days", 365), work,
                    jarFlags, list("bench.loadNice", "10,0").stream().map(Integer::valueOf).toList(),
                    integer("bench.loadClients", 6), integer("bench.loadRounds", 5),
                    integer("bench.loadIdleMillis", 2000));
        }
        if (parts.contains("sizing")) { // issue 15: store growth per member-year on SQLite and PostgreSQL
            new StoreSizing().run(integer("bench.members", 1000), integer("bench.days", 365), work);
        }
        System.exit(0); // the servers' non-daemon threads are closed, but do not let a straggler hold the build
    }

    /** The exporter jar's JVM flags ({@code bench.jvmArgs}), as the backfill part reads them. */
    private static List<String> jvmArgs() {
        String jvmArgs = switch (System.getProperty("bench.jvmArgs", "container").trim()) {
            case "container" -> MemoryFootprintIT.CONTAINER_FLAGS;
            case "none" -> "";
            default -> System.getProperty("bench.jvmArgs").trim();
        };
        return jvmArgs.isEmpty() ? List.of() : Arrays.asList(jvmArgs.split("\\s+"));
    }

    private static List<String> list(String property, String defaults) {
        return Arrays.stream(System.getProperty(property, defaults).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static int integer(String property, int defaults) {
        return Integer.parseInt(System.getProperty(property, Integer.toString(defaults)));
    }
}
