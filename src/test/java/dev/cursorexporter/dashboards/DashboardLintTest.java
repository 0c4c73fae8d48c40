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
 * Event time (DESIGN.md): no board computes a range or per-day figure from the usage, activity or feature
 * counters; those come from the datasource API or the window gauges. {@code rate}/{@code increase} remain for the
 * exporter's own counters (API calls), which are rates since install by nature.
 */
class DashboardLintTest {
    /** Metric names the dashboards may use besides the README catalogue; see {@link DashboardQueriesTest}. */
    private static final Set<String> UNITS = Set.of("currencyUSD", "short", "percentunit", "dateTimeFromNow", "s",
            "reqps");
    private static final Set<String> FILTER_VARIABLES = Set.of("team", "location", "model", "user");
    /** Counters of Cursor's data: lifetime sums placed at the moment they were learned, not at their event day. */
    private static final Pattern EVENT_COUNTER = Pattern.compile(
            "cursor_(usage_[a-z_]+|lines_added|tab_completions|feature_requests)_total");
    private static final Pattern CATALOGUE_ROW = Pattern.compile("^\\| `(cursor_[a-z_]+)` \\|", Pattern.MULTILINE);
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?");
    private static final Pattern DS_VARIABLE = Pattern.compile("\\$\\{([a-z]+)}");

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
                case "short" -> assertEquals(0, decimals.asInt(-1), where + ": counts are integers");
                case "percentunit" -> assertEquals(1, decimals.asInt(-1), where + ": shares with one decimal");
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
            Matcher calls = PromQl.RANGE_CALL.matcher(expr);
            while (calls.find()) {
                String range = calls.group(4);
                assertTrue(range.equals("$__rate_interval") || range.equals("$__range"),
                        b + ": range must be $__rate_interval or $__range: " + calls.group());
            }
            assertFalse(EVENT_COUNTER.matcher(expr).find(), b + ": a range figure from counter history (event "
                    + "time comes from the datasource API or the window gauges): " + expr);
            String outsideCalls = PromQl.RANGE_CALL.matcher(expr).replaceAll("call()");
            assertFalse(outsideCalls.contains("["), b + ": only rate/irate/increase take ranges: " + expr);
            for (String name : PromQl.metricNames(outsideCalls)) {
                assertFalse(name.endsWith("_total"), b + ": counter " + name + " outside rate/increase: " + expr);
            }
            assertSelectorsMatchJobAndInstance(b, expr);
            Set<String> names = PromQl.metricNames(expr);
            assertFalse(names.isEmpty(), b + ": no metric in " + expr);
            for (String name : names) {
                assertTrue(allowed.contains(name), b + ": " + name + " is not in the catalogue: " + expr);
            }
        }
        for (String query : b.variableQueries()) {
            for (String name : PromQl.metricNames(query)) {
                assertTrue(allowed.contains(name), b + ": variable query uses " + name);
            }
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
