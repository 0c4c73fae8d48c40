package dev.cursorexporter;

import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.config.ConfigDescription;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.SimulatorOptions;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What demo mode uses instead of the configured values, in one place, so that the exporter and the summary it
 * prints (at start and by {@code check-config}) agree: the simulator's whole history as backfill, every source
 * polled every minute, the demo organisation's directory file in the data dir (unless a directory file is
 * configured), and budgets derived from the simulated spend (unless budgets are configured).
 */
final class DemoMode {
    /** Demo polls every minute so that dashboards move while someone watches. */
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final String DIRECTORY_FILE = "demo-directory.csv";

    private DemoMode() {
    }

    static SimulatorOptions simulatorOptions() {
        return SimulatorOptions.defaults();
    }

    /**
     * The simulator's history is {@code days()} UTC days ending with today: that many minus one complete days plus
     * today, which is exactly a backfill of {@code days() - 1}.
     */
    static int backfillDays() {
        return simulatorOptions().days() - 1;
    }

    static Map<Source, Duration> intervals() {
        Map<Source, Duration> out = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            out.put(s, INTERVAL);
        }
        return out;
    }

    /** Where the demo organisation's directory CSV is written at start. */
    static Path directoryFile(ExporterConfig configured) {
        return configured.store().dataDir().resolve(DIRECTORY_FILE);
    }

    /**
     * The configuration demo mode runs with. {@code derivedBudgets}: the budgets derived from the simulated spend,
     * empty before the simulator has started (check-config); they apply only when no budgets are configured.
     */
    static ExporterConfig effective(ExporterConfig configured, Optional<Budgets> derivedBudgets) {
        ExporterConfig.Builder out = configured.toBuilder().backfillDays(backfillDays()).pollIntervals(intervals())
                .directoryFile(Optional.of(configured.directory().file().orElse(directoryFile(configured))));
        if (!configured.otlp().enabled()) {
            out.otlp(demoReceiver(configured.otlp()));
        }
        if (configured.budgets().isEmpty() && derivedBudgets.isPresent()) {
            out.budgets(derivedBudgets.get());
        }
        return out.build();
    }

    /**
     * The simulator plays Cursor's OpenTelemetry Export too, so the live board fills: when no OTLP token is
     * configured, a receiver with a random token on an ephemeral port that only the simulator's pusher knows
     * ({@link #isDemoReceiver}: it listens on the loopback interface only).
     */
    static OtlpConfig demoReceiver(OtlpConfig configured) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return new OtlpConfig(0, Optional.of(new Secret(HexFormat.of().formatHex(random))),
                configured.maxBodyBytes(), configured.silentAfter());
    }

    /** Whether demo mode made the receiver ({@link #demoReceiver}) rather than the configuration. */
    static boolean isDemoReceiver(ExporterConfig configured, ExporterConfig effective) {
        return effective.demo() && !configured.otlp().enabled() && effective.otlp().enabled();
    }

    /**
     * Complete UTC days of OTel history the pusher sends at start (Cursor keeps about 7 days upstream), so that the
     * estimate meets days the Admin API has settled at once, as on a destination enabled a week ago.
     */
    static final int OTEL_HISTORY_DAYS = 7;
    /** How often the pusher pushes after that. */
    static final Duration OTEL_PERIOD = Duration.ofSeconds(15);

    /**
     * Where the demo's pusher starts: at the start of the UTC day {@link #OTEL_HISTORY_DAYS} days before today, or
     * where this data directory's receiver last accepted metrics if that is later, so that a restarted demo goes on
     * from there instead of counting the week's deltas again (metrics are deltas: a second push counts twice).
     */
    static long otelPushFrom(Instant now, Optional<Instant> lastMetricsReceipt) {
        long historyStart = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(OTEL_HISTORY_DAYS)
                .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        // never after now: a receipt stamped ahead of this clock must not hold the pusher back
        return Math.min(now.toEpochMilli(),
                Math.max(historyStart, lastMetricsReceipt.map(Instant::toEpochMilli).orElse(historyStart)));
    }

    /**
     * The demo part of the summary. {@code simulator}: its address once started, empty for check-config.
     */
    static ConfigDescription.Demo description(ExporterConfig configured, Optional<URI> simulator) {
        SimulatorOptions options = simulatorOptions();
        return new ConfigDescription.Demo(simulator, options.users(), options.days(),
                configured.budgets().isEmpty(), configured.directory().file().isEmpty(), !configured.otlp().enabled());
    }
}
