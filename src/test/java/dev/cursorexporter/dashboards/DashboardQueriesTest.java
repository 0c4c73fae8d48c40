package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.OtelTruth;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scrapes the in-process demo exporter every second, and
 * every PromQL expression and variable query of every dashboard, Grafana variables substituted, must return data.
 *
 * <p>The live board reads the OTLP receiver's counters. The demo's own simulator pushes only the last hour of its
 * team's usage, which late at night (UTC) or at a weekend holds little or nothing: no MCP auth error, no failed
 * cloud-agent set-up. So the demo runs with a configured OTLP token (the demo then pushes to that receiver, as
 * documented) and the test adds a simulated busy week of its own ({@link OtelFeed}, ending on the latest weekday afternoon): the
 * first part before Prometheus starts, so every series exists from its first scrape, the second while it scrapes,
 * so the one-minute rates and the shares computed from them are not empty, whatever the time of day.
 */
class DashboardQueriesTest {
    private static final String OTLP_TOKEN = "dashboard_queries_otlp_token";
    /**
     * The end of the pushed days: the latest Tuesday to Friday 16:00 UTC before now, busy in every simulated time
     * zone with a weekday before it, and at most 4 days ago: the receiver refuses points more than 8 days older than
     * their receipt (a fixed date stopped being accepted a week after it was written).
     */
    private static final Instant FEED_END = latestBusyAfternoon(Instant.now());
    /** As far back as the receiver takes points, with half a day to spare: the first part is 1.5 to 4.5 days. */
    private static final Instant FEED_START = Instant.now().minus(Duration.ofHours(7 * 24 + 12));
    /** Grafana's variables, as a test Prometheus with a few seconds of 1 s scrapes can answer them. */
    private static final Map<String, String> VARIABLES = variables();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+), ([a-z_]+)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("__rate_interval", "1m");
        v.put("__range", "5m");
        v.put("job", ".+");
        v.put("instance", ".+");
        for (String name : List.of("team", "location", "model", "user", "surface")) {
            v.put(name, ".*");
        }
        return v;
    }

    @Test
    void everyDashboardQueryReturnsData() throws Exception {
        try (ExporterHarness exporter = ExporterHarness.start(demoConfig(dir.resolve("data")), Clock.systemUTC());
             Simulator busy = Simulator.start(SimulatorOptions.builder().users(80).days(10).seed(3).live(false)
                     .rateLimits(false).clock(Clock.fixed(FEED_END, ZoneOffset.UTC)).build());
             OtelFeed feed = new OtelFeed(busy, exporter.otlpPort(), OTLP_TOKEN,
                     FEED_START.toEpochMilli(), FEED_END.minus(Duration.ofDays(2)).toEpochMilli(),
                     FEED_END.toEpochMilli())) {
            exporter.awaitAllSourcesSince(0, Duration.ofSeconds(60));
            feed.first();
            Http.await(Duration.ofSeconds(30), "the first OTel part in /metrics", () -> {
                Exposition scrape = exporter.scrape();
                return !scrape.samples("cursor_otel_event_outcomes_total").isEmpty()
                        && !scrape.samples("cursor_exporter_otlp_ignored_total").isEmpty();
            });
            // The demo pushes the week before at start; the estimate-vs-settled gauges follow its snapshot.
            Http.await(Duration.ofSeconds(60), "the demo's OTel estimate compared with settled days",
                    () -> !exporter.scrape().samples("cursor_otel_cost_estimate_ratio").isEmpty());
            try (PrometheusServer prometheus = PrometheusServer.scraping(exporter.url("").replace("http://", ""),
                    dir)) {
                long before = feed.accepted().logEvents().values().stream().mapToLong(Long::longValue).sum();
                long callsBefore = calls(feed.accepted());
                // what Prometheus has of the tool calls before the second part (the demo's own pushes included)
                Http.await(Duration.ofSeconds(30), "Prometheus scraped the first OTel part",
                        () -> prometheus.query("sum(cursor_otel_tool_calls_total)").size() == 1);
                double scrapedBefore = prometheus.query("sum(cursor_otel_tool_calls_total)").get(0).path("value")
                        .get(1).asDouble();
                feed.second();
                OtelTruth pushed = feed.accepted();
                assertBusyEnough(pushed, before);
                long secondPart = calls(pushed) - callsBefore;
                // The demo's own pushes only add, and its week of log events alone can exceed the feed's, so the
                // wait is on the tool calls of the second part: until Prometheus has scraped them, a rate over the
                // last minute would not show them.
                Http.await(Duration.ofSeconds(30), "Prometheus scraped the second OTel part", () -> {
                    JsonNode r = prometheus.query("sum(cursor_otel_tool_calls_total)");
                    return r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= scrapedBefore + secondPart;
                });
                List<String> failures = new ArrayList<>();
                int checked = 0;
                for (Dashboards.Board board : Dashboards.all()) {
                    for (String expr : board.expressions()) {
                        checked++;
                        if (PromQl.substitute(expr, VARIABLES).contains("$")) {
                            failures.add(board + ": a variable the test does not know in " + expr);
                            continue;
                        }
                        JsonNode result = prometheus.query(PromQl.substitute(expr, VARIABLES));
                        if (result.isEmpty()) {
                            failures.add(board + ": no data for " + expr);
                        }
                    }
                    for (String q : board.variableQueries()) {
                        checked++;
                        if (labelValues(prometheus, PromQl.substitute(q, VARIABLES)).isEmpty()) {
                            failures.add(board + ": variable query returned nothing: " + q);
                        }
                    }
                }
                assertTrue(checked > 70, "checked " + checked);
                assertEquals(List.of(), failures);
            }
        }
    }

    /**
     * The pushed week has everything the live board shows, and its second part (the one Prometheus sees arrive)
     * has MCP calls, hook executions and finished cloud-agent set-ups, so no rate or share of the board is empty.
     */
    private static long calls(OtelTruth truth) {
        return truth.toolCalls().values().stream().mapToLong(Long::longValue).sum();
    }

    static Instant latestBusyAfternoon(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        while (true) {
            Instant at = day.atTime(16, 0).toInstant(ZoneOffset.UTC);
            int weekday = day.getDayOfWeek().getValue();
            if (!at.isAfter(now) && weekday >= 2 && weekday <= 5) {
                return at;
            }
            day = day.minusDays(1);
        }
    }

    private static void assertBusyEnough(OtelTruth pushed, long recordsBefore) {
        assertTrue(!pushed.mcpAuthErrors().isEmpty(), "the days pushed have MCP auth errors");
        assertTrue(pushed.eventOutcomes().keySet().stream().anyMatch(k -> k.get(1).equals("failed")
                && k.get(0).equals("cursor.cloud_agent.setup")), "the days pushed have failed set-ups: " + pushed.eventOutcomes());
        assertTrue(pushed.toolCalls().keySet().stream().anyMatch(k -> k.get(1).equals("mcp")), "MCP calls");
        assertTrue(pushed.logEvents().values().stream().mapToLong(Long::longValue).sum() > recordsBefore + 100,
                "the second part is busy");
    }

    /**
     * The demo exporter as {@code java -jar cursor-exporter.jar} starts it with no key, and with an OTLP token (its
     * simulator then pushes to that receiver, which the test can push to as well).
     */
    private static ExporterConfig demoConfig(Path dataDir) {
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, Duration.ofHours(1));
        }
        return ExporterConfig.builder().port(0).dataDir(dataDir).backfillDays(30).lookbackDays(2)
                .pollIntervals(intervals).demo(true).userLabel(UserLabelMode.EMAIL)
                .otlp(new OtlpConfig(0, Optional.of(new Secret(OTLP_TOKEN)), 4L << 20)).build();
    }

    /** What Grafana does for {@code label_values(selector, label)}. */
    private static List<String> labelValues(PrometheusServer prometheus, String variableQuery) {
        Matcher m = LABEL_VALUES.matcher(variableQuery);
        assertTrue(m.matches(), "label_values(selector, label) form: " + variableQuery);
        JsonNode body = prometheus.get(prometheus.base() + "/api/v1/label/" + m.group(2) + "/values?match[]="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
        assertEquals("success", body.path("status").asText(), variableQuery + ": " + body);
        List<String> out = new ArrayList<>();
        body.path("data").forEach(n -> out.add(n.asText()));
        return out;
    }
}
