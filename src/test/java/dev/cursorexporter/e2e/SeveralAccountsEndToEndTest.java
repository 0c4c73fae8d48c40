package dev.cursorexporter.e2e;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two Cursor accounts in one exporter, each its own simulator: separate totals, one failing leaves the other be. */
class SeveralAccountsEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    /** Exporter-level series: the exporter's own build, not any account's. */
    /** Series about the exporter itself or shared by all accounts (a team's budget covers every account). */
    private static final Set<String> NOT_PER_ACCOUNT = Set.of("cursor_exporter_build_info", "cursor_team_budget_usd",
            "cursor_team_cycle_spend_forecast_usd", "cursor_exporter_series_capped",
            "cursor_exporter_directory_reloads_total", "cursor_exporter_directory_entries",
            "cursor_exporter_directory_problem_rows", "cursor_exporter_snapshot_failures_total",
            "cursor_exporter_dropped_series", "cursor_exporter_folded_label_values",
            "cursor_exporter_snapshot_built_timestamp_seconds", "cursor_exporter_snapshot_build_duration_seconds");

    @TempDir
    Path dataDir;

    /** The process, its JVM, its HTTP server and its configuration: one of each, whatever the accounts. */
    private static boolean aboutTheProcess(String name) {
        return name.startsWith("process_") || name.startsWith("jvm_") || name.startsWith("cursor_exporter_http_")
                || name.startsWith("cursor_exporter_config_");
    }

    private static Simulator simulator(long seed, Profile profile, int users) {
        return Simulator.start(SimulatorOptions.builder().users(users).days(45).seed(seed).profile(profile)
                .live(false).clock(CLOCK).build());
    }

    /** Waits until every source of every named account has a success after start-up. */
    private static Exposition awaitAccounts(ExporterHarness exporter, Map<String, Integer> successesPerAccount) {
        Exposition[] last = new Exposition[1];
        Http.await(SYNC_TIMEOUT, "accounts synced", () -> {
            last[0] = exporter.scrape();
            for (Map.Entry<String, Integer> e : successesPerAccount.entrySet()) {
                long done = last[0].where("account", e.getKey())
                        .samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                        .filter(s -> s.value() >= NOW.getEpochSecond()).count();
                if (done < e.getValue()) {
                    return false;
                }
            }
            return true;
        });
        return last[0];
    }

    @Test
    void eachAccountCarriesItsLabelAndItsOwnTotals() {
        try (Simulator a = simulator(7, Profile.DOCS_LATEST, 20);
             Simulator b = simulator(8, Profile.OBSERVED_2026_01, 14)) {
            assertDisjointMembers(a, b);
            Map<String, Map.Entry<Simulator, String>> accounts = new LinkedHashMap<>();
            accounts.put("alpha", Map.entry(a, a.apiKey()));
            accounts.put("beta", Map.entry(b, b.apiKey()));
            try (ExporterHarness exporter = ExporterHarness.start(ExporterHarness.config(accounts, dataDir, 60),
                    CLOCK)) {
                int all = Source.values().length;
                Exposition m = awaitAccounts(exporter, Map.of("alpha", all, "beta", all));
                for (Exposition.Sample s : m.all()) {
                    if (!NOT_PER_ACCOUNT.contains(s.name()) && !aboutTheProcess(s.name())) {
                        // a sample without the label fails with its name, not a NullPointerException
                        assertTrue(Set.of("alpha", "beta").contains(String.valueOf(s.labels().get("account"))),
                                s.toString());
                    }
                }
                assertTrue(m.samples("cursor_exporter_api_requests_total").stream()
                        .anyMatch(s -> "beta".equals(s.labels().get("account"))), "API calls counted per account");
                assertScrapeMatches(a.totals(), m.where("account", "alpha"));
                assertScrapeMatches(b.totals(), m.where("account", "beta"));
                assertEquals(2 * all, m.sum("cursor_exporter_source_up", l -> true));
            }
        }
    }

    @Test
    void aFailingAccountDoesNotDisturbTheOther() {
        try (Simulator a = simulator(7, Profile.DOCS_LATEST, 20);
             Simulator b = simulator(8, Profile.DOCS_LATEST, 14)) {
            Map<String, Map.Entry<Simulator, String>> accounts = new LinkedHashMap<>();
            accounts.put("alpha", Map.entry(a, a.apiKey()));
            accounts.put("broken", Map.entry(b, "crsr_wrong_key"));
            try (ExporterHarness exporter = ExporterHarness.start(ExporterHarness.config(accounts, dataDir, 60),
                    CLOCK)) {
                // broken: the core four are refused; with a refused key the plan-gated three are not called, so
                // nothing is concluded about the plan
                awaitAccounts(exporter, Map.of("alpha", Source.values().length));
                Http.await(SYNC_TIMEOUT, "broken auth failing", () -> exporter.scrape().where("account", "broken")
                        .sum("cursor_exporter_auth_failing", l -> true) == 1.0);
                Exposition m = exporter.scrape();
                assertScrapeMatches(a.totals(), m.where("account", "alpha"));
                Exposition broken = m.where("account", "broken");
                for (Source s : List.of(Source.MEMBERS, Source.SPEND, Source.DAILY_USAGE, Source.USAGE_EVENTS)) {
                    assertEquals(0, broken.sum("cursor_exporter_source_up", l -> s.label().equals(l.get("source"))),
                            s.label());
                }
                assertEquals(List.of(), broken.samples("cursor_usage_requests_total"));
                assertEquals(List.of(), broken.samples("cursor_exporter_source_available"));
                assertFalse(Http.get(exporter.url("/metrics")).body().contains("crsr_wrong_key"));
                assertEquals(200, Http.get(exporter.url("/readyz")).statusCode(), "one good account is enough");
            }
        }
    }

    private static void assertDisjointMembers(Simulator a, Simulator b) {
        Set<String> first = emails(a);
        Set<String> overlap = new HashSet<>(emails(b));
        overlap.retainAll(first);
        // one directory serves both accounts, so a shared e-mail would get one team for both
        assertEquals(Set.of(), overlap, "test assumption: the two organisations share no e-mail");
    }

    private static Set<String> emails(Simulator sim) {
        return sim.directoryCsv().lines().skip(1).map(l -> l.split(",")[0]).collect(Collectors.toSet());
    }
}
