package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grafana/dashboard-linter rules that apply here, re-implemented over the parsed JSON (the linter is a Go
 * binary that cannot be installed here), plus the project's own: catalogue metric names only, units everywhere.
 *
 * <p>Event time (DESIGN.md): no board computes a range or per-day figure from the counters of the Admin API's data
 * (usage, activity, features, and the Enterprise sources'); those come from the datasource API or the window gauges,
 * and not even {@code rate} may read them: they learn late, backfilled and restated data when it arrives, so their
 * rate is the sync's rhythm, not Cursor's usage. {@code rate}/{@code increase} remain for the exporter's own
 * counters (API calls, OTLP requests), which are rates since install by nature.
 *
 * <p>The OpenTelemetry counters ({@code cursor_otel_*}) are the one exception, and only for {@code rate} over
 * {@code $__rate_interval}: Cursor pushes each delta within about a minute of the event and has no backfill, so
 * receive time is event time to within a minute, and the counters are durable across restarts (no reset spikes).
 * Their per-second rate over a few minutes is therefore a true near-real-time rate (the live board). A range figure
 * from them ({@code increase}, or anything over {@code $__range}) is still refused: OTel metrics are at most once
 * (a failed push is a gap), cover only the time since the destination was enabled and are estimates, so "cost in
 * range" and per-day figures come from the store, settled by the Admin API.
 */
class DashboardLintTest {
    /** Every panel's unit; the per-minute rates of the live board use custom suffix units. */
    private static final Set<String> UNITS = Set.of("currencyUSD", "short", "percentunit", "dateTimeFromNow", "s",
            "reqps", "suffix: USD/min", "suffix: tokens/min", "suffix: calls/min", "suffix: events/min");
    private static final Set<String> FILTER_VARIABLES = Set.of("team", "location", "model", "user");
    /**
     * Counters of the Admin API's data: lifetime sums placed at the moment the sync learned them, not at their event
     * day.
     */
    static final Pattern EVENT_COUNTER = Pattern.compile("cursor_(usage_[a-z_]+|lines_added|tab_completions"
            + "|feature_requests|model_messages|agent_edits|ai_code_[a-z_]+|audit_events)_total");
    /** Counters of Cursor's OpenTelemetry Export: near-real-time deltas, rate only (see the class comment). */
    static final Pattern OTEL_COUNTER = Pattern.compile("cursor_otel_[a-z_]+_total");
    private static final Pattern CATALOGUE_ROW = Pattern.compile("^\\| `(cursor_[a-z_]+)` \\|", Pattern.MULTILINE);
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?");
    private static final Pattern DS_VARIABLE = Pattern.compile("\\$\\{([a-z]+)}");
    /** {@code $name} or {@code ${name}} (with an optional {@code :format}) in an expression. */
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");

    static List<Dashboards.Board> boards() {
        return Dashboards.all();
    }

    /** The metric table of the README's "Metrics" section. */
    static Set<String> readmeCatalogue() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Metrics");
        int end = readme.indexOf("\n## ", start + 1);
        Matcher m = CATALOGUE_ROW.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theCatalogueIsReadFromTheReadme() throws IOException {
        Set<String> catalogue = readmeCatalogue();
        assertTrue(catalogue.contains("cursor_usage_cost_usd_total"), catalogue.toString());
        assertTrue(catalogue.size() >= 16, catalogue.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void topLevel(Dashboards.Board b) {
        JsonNode d = b.json();
        assertEquals(b.name(), d.path("uid").asText(), "uid equals the file name (stable)");
        assertTrue(Dashboards.UIDS.contains(d.path("uid").asText()));
        assertFalse(d.has("id"), "no id in a provisioned file");
        assertFalse(d.has("__inputs"), "no __inputs: the datasource variable replaces them");
        assertFalse(d.has("__requires"));
        assertTrue(d.path("editable").isBoolean() && !d.path("editable").asBoolean(), "editable: false");
        assertEquals(41, d.path("schemaVersion").asInt());
        assertFalse(d.path("title").asText().isBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void templateVariables(Dashboards.Board b) {
        List<JsonNode> prometheusDs = b.variables().stream().filter(v -> v.path("type").asText().equals("datasource")
                && v.path("query").asText().equals("prometheus")).toList();
        assertEquals(1, prometheusDs.size(), "exactly one Prometheus datasource variable");
        assertEquals("datasource", prometheusDs.get(0).path("name").asText());
        assertEquals("Data Source", prometheusDs.get(0).path("label").asText());
        for (String name : List.of("job", "instance", "team", "location", "model", "user")) {
            JsonNode v = b.variable(name);
            assertNotNull(v, "variable " + name);
            assertEquals("query", v.path("type").asText(), name);
            assertEquals("${datasource}", v.path("datasource").path("uid").asText(), name);
            assertEquals(2, v.path("refresh").asInt(), name + " reloads on time-range change");
            assertTrue(v.path("multi").asBoolean() && v.path("includeAll").asBoolean(), name + " multi + All");
            assertEquals(FILTER_VARIABLES.contains(name) ? ".*" : ".+", v.path("allValue").asText(), name);
            assertTrue(v.path("query").isTextual(), name + ": string-form query (the schema rejects the object form)");
            assertTrue(v.path("query").asText().matches("label_values\\(.+, " + name + "\\)"), v.path("query").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void panels(Dashboards.Board b) {
        Set<Integer> ids = new HashSet<>();
        Set<String> dsVariables = new HashSet<>();
        b.variables().stream().filter(v -> v.path("type").asText().equals("datasource"))
                .forEach(v -> dsVariables.add(v.path("name").asText()));
        List<int[]> cells = new ArrayList<>();
        for (JsonNode p : b.panels()) {
            String where = b.name() + " panel '" + p.path("title").asText() + "'";
            assertTrue(ids.add(p.path("id").asInt()), where + ": unique id");
            JsonNode g = p.path("gridPos");
            int x = g.path("x").asInt(), y = g.path("y").asInt(), w = g.path("w").asInt(), h = g.path("h").asInt();
            assertTrue(x >= 0 && w > 0 && x + w <= 24 && h > 0 && y >= 0, where + ": gridPos " + g);
            for (int[] c : cells) {
                boolean overlap = x < c[0] + c[2] && c[0] < x + w && y < c[1] + c[3] && c[1] < y + h;
                assertFalse(overlap, where + ": overlaps another panel");
            }
            cells.add(new int[] {x, y, w, h});
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertFalse(p.path("title").asText().isBlank(), where + ": title");
            assertFalse(p.path("description").asText().isBlank(), where + ": description");
            String unit = p.path("fieldConfig").path("defaults").path("unit").asText();
            assertTrue(UNITS.contains(unit), where + ": unit '" + unit + "'");
            JsonNode decimals = p.path("fieldConfig").path("defaults").path("decimals");
            switch (unit) {
                case "currencyUSD" -> assertEquals(2, decimals.asInt(-1), where + ": USD with two decimals");
                case "short", "suffix: tokens/min" -> assertEquals(0, decimals.asInt(-1), where + ": counts are integers");
                case "percentunit" -> assertEquals(1, decimals.asInt(-1), where + ": shares with one decimal");
                case "suffix: USD/min" -> assertEquals(3, decimals.asInt(-1), where + ": USD a minute with 3 decimals");
                case "suffix: calls/min", "suffix: events/min" -> assertEquals(2, decimals.asInt(-1),
                        where + ": rare events a minute with 2 decimals");
                default -> { }
            }
            assertTrue(p.path("description").asText().matches("(?s).*(Prometheus|store|datasource API).*"),
                    where + ": the description names its plane (Prometheus or the store)");
            assertTrue(p.path("targets").size() > 0, where + ": has targets");
            String dsUid = p.path("datasource").path("uid").asText();
            Matcher m = DS_VARIABLE.matcher(dsUid);
            assertTrue(m.matches() && dsVariables.contains(m.group(1)), where + ": datasource is a variable: " + dsUid);
            if (p.path("datasource").path("type").asText().equals("prometheus")) {
                assertEquals("${datasource}", dsUid, where);
            }
            for (JsonNode t : p.path("targets")) {
                assertEquals(p.path("datasource"), t.path("datasource"), where + ": target datasource = panel's");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void expressions(Dashboards.Board b) throws IOException {
        Set<String> allowed = new TreeSet<>(readmeCatalogue());
        for (String expr : b.expressions()) {
            assertEquals(List.of(), timeProblems(expr), b + ": " + expr);
            assertSelectorsMatchJobAndInstance(b, expr);
            Set<String> names = PromQl.metricNames(expr);
            assertFalse(names.isEmpty(), b + ": no metric in " + expr);
            for (String name : names) {
                assertTrue(allowed.contains(name), b + ": " + name + " is not in the catalogue: " + expr);
            }
        }
        Set<String> declared = new TreeSet<>(List.of("__rate_interval", "__range", "__interval"));
        b.variables().forEach(v -> declared.add(v.path("name").asText()));
        for (String expr : b.expressions()) {
            Matcher used = GRAFANA_VARIABLE.matcher(expr);
            while (used.find()) {
                String name = used.group(1) != null ? used.group(1) : used.group(2);
                assertTrue(declared.contains(name), b + ": $" + name + " is not a variable of the board: " + expr);
            }
        }
        for (String query : b.variableQueries()) {
            for (String name : PromQl.metricNames(query)) {
                assertTrue(allowed.contains(name), b + ": variable query uses " + name);
            }
        }
    }

    /**
     * What an expression does wrong with time: ranges other than {@code $__rate_interval} or {@code $__range}, any
     * use of the Admin API's data counters, anything but {@code rate} over {@code $__rate_interval} on the OTel
     * counters, ranges outside rate/irate/increase, counters outside them.
     */
    static List<String> timeProblems(String expr) {
        List<String> out = new ArrayList<>();
        Matcher calls = PromQl.RANGE_CALL.matcher(expr);
        while (calls.find()) {
            String range = calls.group(4);
            if (!range.equals("$__rate_interval") && !range.equals("$__range")) {
                out.add("range must be $__rate_interval or $__range: " + calls.group());
            }
            if (OTEL_COUNTER.matcher(calls.group(2)).matches()
                    && !(calls.group(1).equals("rate") && range.equals("$__rate_interval"))) {
                out.add("OTel counters only in rate(...[$__rate_interval]) (near-real-time rates; range and per-day "
                        + "figures come from the store): " + calls.group());
            }
        }
        if (EVENT_COUNTER.matcher(expr).find()) {
            out.add("a figure from the Admin API's counter history (event time comes from the datasource API or the "
                    + "window gauges)");
        }
        String outsideCalls = PromQl.RANGE_CALL.matcher(expr).replaceAll("call()");
        if (outsideCalls.contains("[")) {
            out.add("only rate/irate/increase take ranges");
        }
        for (String name : PromQl.metricNames(outsideCalls)) {
            if (name.endsWith("_total")) {
                out.add("counter " + name + " outside rate/increase");
            }
        }
        return out;
    }

    /** The time rules can fail: each wrong use of a counter is reported, the right ones are not. */
    @Test
    void theTimeRulesRefuseRangeFiguresAndAllowOnlyRatesOfTheOtelCounters() {
        String sel = "{job=~\"$job\",instance=~\"$instance\"}";
        for (String ok : List.of("sum by (team) (rate(cursor_otel_cost_usd_total" + sel + "[$__rate_interval])) * 60",
                "sum(rate(cursor_exporter_api_requests_total" + sel + "[$__rate_interval]))",
                "sum(increase(cursor_exporter_api_requests_total" + sel + "[$__range]))",
                "sum(cursor_cost_window_usd" + sel + ")")) {
            assertEquals(List.of(), timeProblems(ok), ok);
        }
        for (String wrong : List.of("sum(increase(cursor_otel_cost_usd_total" + sel + "[$__rate_interval]))",
                "sum(rate(cursor_otel_cost_usd_total" + sel + "[$__range]))",
                "sum(irate(cursor_otel_tokens_total" + sel + "[$__rate_interval]))",
                "sum(rate(cursor_otel_cost_usd_total" + sel + "[1d]))",
                "sum(cursor_otel_cost_usd_total" + sel + ")",
                "sum(rate(cursor_usage_cost_usd_total" + sel + "[$__rate_interval]))",
                "sum(increase(cursor_usage_cost_usd_total" + sel + "[$__range]))",
                "sum(rate(cursor_ai_code_lines_added_total" + sel + "[$__rate_interval]))",
                "sum(rate(cursor_audit_events_total" + sel + "[$__rate_interval]))",
                "max_over_time(sum(rate(cursor_otel_cost_usd_total" + sel + "[$__rate_interval]))[1d:5m])")) {
            assertFalse(timeProblems(wrong).isEmpty(), wrong);
        }
    }

    /** target-job-rule and target-instance-rule: every selector filters on $job and $instance. */
    private static void assertSelectorsMatchJobAndInstance(Dashboards.Board b, String expr) {
        Set<String> names = PromQl.metricNames(expr);
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            if (names.contains(m.group(1))) {
                String sel = m.group(2) == null ? "" : m.group(2);
                assertTrue(sel.contains("job=~\"$job\"") && sel.contains("instance=~\"$instance\""),
                        b + ": selector without job/instance matchers: " + m.group() + " in " + expr);
            }
        }
    }

    @Test
    void theMetricNameReaderFindsNamesAndOnlyNames() {
        assertEquals(Set.of("cursor_a_total", "cursor_b"), PromQl.metricNames(
                "sum by (team) (increase(cursor_a_total{job=~\"$job\",x=\"y z\"}[$__range])) / "
                        + "on(team) group_left(location) max(cursor_b) * 1e6 or vector(0) + time()"));
        assertEquals(Set.of("cursor_members"), PromQl.metricNames("label_values(cursor_members{job=~\"$job\"}, team)"));
        assertEquals("up{a=~\".*\"}[1m]",
                PromQl.substitute("up{a=~\"$team\"}[$__rate_interval]", Map.of("team", ".*", "__rate_interval", "1m")));
    }
}
