package dev.cursorexporter.testing;

import dev.cursorexporter.App;
import dev.cursorexporter.AppOptions;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.RetryPolicy;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.Simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the exporter in-process (real HTTP, real store file) against a running simulator. */
public final class ExporterHarness implements AutoCloseable {
    private final App app;

    private ExporterHarness(App app) {
        this.app = app;
    }

    /** A configuration polling {@code sim} once (hour-long intervals), backfilling all of its history. */
    public static ExporterConfig config(Simulator sim, Path dataDir, int backfillDays, UserLabelMode userLabel) {
        try {
            Path directory = dataDir.resolve("directory.csv");
            Files.createDirectories(dataDir);
            Files.writeString(directory, sim.directoryCsv());
            Map<Source, Duration> intervals = new EnumMap<>(Source.class);
            for (Source s : Source.values()) {
                intervals.put(s, Duration.ofHours(1));
            }
            return ExporterConfig.builder().port(0).dataDir(dataDir).backfillDays(backfillDays).lookbackDays(2)
                    .pollIntervals(intervals)
                    .accounts(List.of(new AccountConfig("default", new Secret(sim.apiKey()), sim.baseUrl())))
                    .directoryFile(Optional.of(directory)).userLabel(userLabel)
                    .userLabelSalt(userLabel == UserLabelMode.HASH ? Optional.of(new Secret("test-salt"))
                            : Optional.empty())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A configuration polling several accounts (name → (simulator, API key)) once, with one directory made of
     * all their directories.
     */
    public static ExporterConfig config(Map<String, Map.Entry<Simulator, String>> accounts, Path dataDir,
                                        int backfillDays) {
        try {
            Path directory = dataDir.resolve("directory.csv");
            Files.createDirectories(dataDir);
            StringBuilder csv = new StringBuilder("email,team,location\n");
            List<AccountConfig> configs = new java.util.ArrayList<>();
            accounts.forEach((name, sim) -> {
                sim.getKey().directoryCsv().lines().skip(1).forEach(line -> csv.append(line).append('\n'));
                configs.add(new AccountConfig(name, new Secret(sim.getValue()), sim.getKey().baseUrl()));
            });
            Files.writeString(directory, csv);
            Map<Source, Duration> intervals = new EnumMap<>(Source.class);
            for (Source s : Source.values()) {
                intervals.put(s, Duration.ofHours(1));
            }
            return ExporterConfig.builder().port(0).dataDir(dataDir).backfillDays(backfillDays).lookbackDays(2)
                    .pollIntervals(intervals).accounts(configs).directoryFile(Optional.of(directory)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ExporterHarness start(ExporterConfig config, Clock clock) {
        return start(config, clock, AppOptions.defaults());
    }

    /** With the caller's client settings (e.g. tiny retry delays) and rate-limit window. */
    public static ExporterHarness start(ExporterConfig config, Clock clock, AppOptions options) {
        try {
            return new ExporterHarness(App.start(config, clock, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code config} with other rate limits ({@code sync.rate_limits}) and backfill. */
    public static ExporterConfig withRateLimits(ExporterConfig config, Map<BudgetFamily, Integer> limits) {
        return config.toBuilder().rateLimits(limits).build();
    }

    /** Client settings that retry up to 10 times with millisecond backoff, so fault tests finish quickly. */
    public static ClientSettings fastRetries() {
        return ClientSettings.defaults().withRetry(new RetryPolicy(10, Duration.ofMillis(1), Duration.ofMillis(20),
                Duration.ofMillis(200), 0.25));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    /** The OTLP receiver's port (fails when it is off). */
    public int otlpPort() {
        return app.otlpPort().orElseThrow(() -> new AssertionError("the OTLP receiver is off"));
    }

    public Exposition scrape() {
        return Exposition.parse(Http.get(url("/metrics")).body());
    }

    /** Waits until every source has succeeded at least once since {@code since} (epoch seconds). */
    public Exposition awaitAllSourcesSince(double sinceEpochSeconds, Duration timeout) {
        Exposition[] last = new Exposition[1];
        Http.await(timeout, "all sources synced", () -> {
            last[0] = scrape();
            List<Exposition.Sample> done = last[0].samples("cursor_exporter_source_last_success_timestamp_seconds")
                    .stream().filter(s -> s.value() >= sinceEpochSeconds).toList();
            return done.size() == Source.values().length;
        });
        return last[0];
    }

    @Override
    public void close() {
        app.close();
    }
}
