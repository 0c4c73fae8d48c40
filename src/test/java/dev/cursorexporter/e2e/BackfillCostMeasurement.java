package dev.cursorexporter.e2e;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.cursor.RateBudget;
import dev.cursorexporter.cursor.Sleeper;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.sync.DayWindow;
import dev.cursorexporter.sync.WindowPlanner;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measures what a first backfill costs in Cursor API calls and time: the exporter's client, planner and budgets
 * against the simulator with Cursor's limits on (the store is left out: it costs no API calls). Not part of the
 * normal build; run with
 * {@code ./mvnw -B test -Dtest=BackfillCostMeasurement -Dmeasure.backfill=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * Windows are scaled down by {@code scale} on both sides (simulator limits and client budgets), so the wall time
 * times {@code scale} is the time under the real one-minute limits; scale 0 runs with limits and budgets off, to
 * count calls only.
 */
@EnabledIfSystemProperty(named = "measure.backfill", matches = "true")
class BackfillCostMeasurement {

    @ParameterizedTest(name = "{0} members x {1} days, windows scaled 1/{2}")
    @CsvSource({"100, 365, 6", "1000, 30, 6", "1000, 365, 0"})
    void measure(int members, int days, int scale) {
        boolean limited = scale > 0;
        Duration window = limited ? Duration.ofMinutes(1).dividedBy(scale) : Duration.ofMinutes(1);
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(members).days(days).seed(1)
                .live(false).clock(Clock.systemUTC()).rateLimits(limited).rateLimitWindow(window).build())) {
            Map<String, LongAdder> calls = new ConcurrentHashMap<>();
            RateBudget budget = limited
                    ? new RateBudget(BudgetFamily.defaultLimits(), window, System::nanoTime, Sleeper.SYSTEM)
                    : RateBudget.unlimited();
            CursorClient client = new CursorClient(sim.baseUrl(), new Secret(sim.apiKey()), ClientSettings.defaults(),
                    (endpoint, code) -> calls.computeIfAbsent(endpoint + " " + code, k -> new LongAdder()).increment(),
                    Sleeper.SYSTEM, Clock.systemUTC(), budget);
            LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(sim.totals().nowMs()), ZoneOffset.UTC);
            // days - 1 complete days plus today: the simulator's days of history, no more
            WindowPlanner planner = new WindowPlanner(days - 1, 2, CursorApi.MAX_WINDOW_DAYS);
            long started = System.nanoTime();
            client.members();
            client.spend();
            long rows = 0;
            for (DayWindow w : planner.plan(today, Set.of())) {
                rows += client.dailyUsage(w.from(), w.to()).size();
            }
            long adminDone = System.nanoTime();
            AtomicLong events = new AtomicLong();
            for (DayWindow w : planner.plan(today, Set.of())) {
                Instant from = w.from().atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant endOfDay = w.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
                Instant now = Instant.ofEpochMilli(sim.totals().nowMs());
                client.usageEvents(from, endOfDay.isAfter(now) ? now : endOfDay, page -> events.addAndGet(page.size()));
            }
            long done = System.nanoTime();
            client.close();

            Map<String, Long> byCall = new TreeMap<>();
            calls.forEach((k, v) -> byCall.put(k, v.sum()));
            long admin = byCall.entrySet().stream().filter(e -> !e.getKey().startsWith("/teams/filtered"))
                    .mapToLong(Map.Entry::getValue).sum();
            long eventCalls = byCall.entrySet().stream().filter(e -> e.getKey().startsWith("/teams/filtered"))
                    .mapToLong(Map.Entry::getValue).sum();
            double adminMinutes = (adminDone - started) / 60e9 * Math.max(scale, 1);
            double eventMinutes = (done - adminDone) / 60e9 * Math.max(scale, 1);
            System.out.printf("MEASURED %d members x %d days (scale 1/%d): %s; %d daily rows, %d events; "
                            + "admin %d calls in %.1f min, events %d calls in %.1f min (real-limit equivalent%s); "
                            + "pacing bound %.1f + %.1f min%n",
                    members, days, scale, byCall, rows, events.get(), admin, adminMinutes, eventCalls, eventMinutes,
                    limited ? "" : ": not paced, not meaningful", pacedMinutes(admin, BudgetFamily.ADMIN),
                    pacedMinutes(eventCalls, BudgetFamily.USAGE_EVENTS));
            assertEquals(0, byCall.keySet().stream().filter(k -> k.endsWith(" 429")).count(), "no 429: " + byCall);
        }
    }

    /** The sliding-window pacer lets n calls go per window of 63 s (a minute plus 5 %). */
    private static double pacedMinutes(long calls, BudgetFamily family) {
        int n = family.defaultPerMinute();
        return calls == 0 ? 0 : (calls - 1) / n * 1.05;
    }
}
