package dev.cursorexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerts' links (issue 16, item 6): every alert has a {@code runbook_url} to its own RUNBOOK.md section and an
 * absolute {@code dashboard_url} to a shipped board, both built from {@code alerts/links.yml}; the committed rule
 * and test files are what {@link AlertLinks} makes of them ({@value AlertLinks#REGENERATE} writes them); other bases
 * change those two annotations and nothing else.
 */
class AlertLinksTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path RUNBOOK = Path.of("RUNBOOK.md");
    private static final Pattern HEADING = Pattern.compile("(?m)^## (\\S+)\\s*$");

    /** Before any test reads the files, so that every test of a regenerating run sees the new ones. */
    @BeforeAll
    static void regenerateWhenAsked() {
        if (Boolean.getBoolean("alerts.regenerate")) {
            AlertLinks.write();
        }
    }

    @Test
    void theCommittedRulesAndTestsCarryTheLinksOfTheParameters() {
        AlertLinks.generated().forEach((path, expected) -> assertEquals(expected, AlertLinks.read(path),
                path + " differs from alerts/links.yml; regenerate it with: " + AlertLinks.REGENERATE));
    }

    @Test
    void everyAlertHasARunbookSectionAndAnAbsoluteLinkToAShippedBoard() throws IOException {
        AlertLinks.Parameters parameters = AlertLinks.Parameters.read(Path.of(AlertLinks.PARAMETERS_FILE));
        Set<String> uids = boardUids();
        Map<String, String> sections = runbookSections();
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : YAML.readTree(AlertLinks.RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (!rule.has("alert")) {
                    continue;
                }
                String name = rule.get("alert").asText();
                alerts.add(name);
                URI runbook = URI.create(rule.at("/annotations/runbook_url").asText());
                assertTrue(runbook.isAbsolute() && runbook.getHost() != null, name + " runbook_url " + runbook);
                assertEquals(name.toLowerCase(), runbook.getFragment(), name + ": the anchor of its section");
                assertEquals(parameters.runbookUrl(name), runbook.toString(), name);

                URI dashboard = URI.create(rule.at("/annotations/dashboard_url").asText());
                assertTrue(dashboard.isAbsolute() && dashboard.getHost() != null, name + " dashboard_url " + dashboard);
                assertTrue(dashboard.toString().startsWith(parameters.grafanaUrl() + "/d/"), name + " " + dashboard);
                String uid = dashboard.getPath().substring(dashboard.getPath().lastIndexOf('/') + 1);
                assertTrue(uids.contains(uid), name + " links to board " + uid + ", not one of " + uids);
            }
        }
        assertEquals(new TreeSet<>(alerts), new TreeSet<>(sections.keySet()), "one RUNBOOK.md section per alert");
        sections.forEach((alert, text) -> {
            for (String part : List.of("**Meaning.**", "**First checks.**", "**Fixes.**")) {
                assertTrue(text.contains(part), alert + "'s section has " + part);
            }
        });
    }

    @Test
    void otherBasesChangeOnlyTheTwoLinkAnnotationsOfRulesAndTests() {
        AlertLinks.Parameters other = new AlertLinks.Parameters("https://grafana.acme.internal/grafana/",
                "https://wiki.acme.internal/runbooks/cursor/%s");
        for (Path file : List.of(AlertLinks.RULES, AlertLinks.TESTS)) {
            String committed = AlertLinks.read(file);
            String rewritten = AlertLinks.rewrite(committed, other);
            assertNotEquals(committed, rewritten);
            assertEquals(rewritten, AlertLinks.rewrite(rewritten, other), "the same however often it runs");
            List<String> before = committed.lines().toList();
            List<String> after = rewritten.lines().toList();
            assertEquals(before.size(), after.size(), file + ": no line added or lost");
            int runbooks = 0;
            for (int i = 0; i < before.size(); i++) {
                String line = after.get(i).strip();
                if (line.startsWith("runbook_url: ")) {
                    runbooks++;
                    assertTrue(line.matches("runbook_url: https://wiki\\.acme\\.internal/runbooks/cursor/cursor[a-z0-9]+"), line);
                } else if (line.startsWith("dashboard_url: ")) {
                    assertTrue(line.matches("dashboard_url: https://grafana\\.acme\\.internal/grafana/d/cursor-[a-z-]+"), line);
                    assertEquals(before.get(i).replaceAll("dashboard_url: .*/d/", ""), after.get(i)
                            .replaceAll("dashboard_url: .*/d/", ""), "the board stays");
                } else {
                    assertEquals(before.get(i), after.get(i), file + " line " + (i + 1));
                }
            }
            assertTrue(runbooks > 0, file.toString());
        }
        // in the tests, every expected firing alert expects both links, as promtool compares annotations exactly
        String tests = AlertLinks.read(AlertLinks.TESTS);
        assertEquals(count(tests, "exp_annotations:"), count(tests, "runbook_url: "));
        assertEquals(count(tests, "exp_annotations:"), count(tests, "dashboard_url: "));
    }

    @Test
    void aRelativeOrIncompleteBaseIsRefusedNamingTheParameter() {
        assertEquals("grafanaUrl: must be an absolute http(s) URL like https://grafana.example.com, got '/grafana'",
                assertThrows(IllegalArgumentException.class,
                        () -> new AlertLinks.Parameters("/grafana", "https://x.example/%s")).getMessage());
        assertEquals("runbookUrlPattern: must be an absolute http(s) URL like https://grafana.example.com, got "
                        + "'RUNBOOK.md#%s'",
                assertThrows(IllegalArgumentException.class,
                        () -> new AlertLinks.Parameters("http://g:3000", "RUNBOOK.md#%s")).getMessage());
        assertEquals("runbookUrlPattern: needs exactly one %s (the alert's anchor), got 'https://x.example/RUNBOOK.md'",
                assertThrows(IllegalArgumentException.class,
                        () -> new AlertLinks.Parameters("http://g:3000", "https://x.example/RUNBOOK.md")).getMessage());
    }

    /** RUNBOOK.md's {@code ## <Alert>} sections, by heading, with their text. */
    static Map<String, String> runbookSections() throws IOException {
        String text = Files.readString(RUNBOOK);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HEADING.matcher(text);
        List<int[]> bounds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
            bounds.add(new int[]{m.end()});
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < names.size() ? text.lastIndexOf("## " + names.get(i + 1)) : text.length();
            out.put(names.get(i), text.substring(bounds.get(i)[0], end));
        }
        return out;
    }

    private static Set<String> boardUids() throws IOException {
        Set<String> uids = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("grafana-dashboards"))) {
            for (Path board : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                uids.add(new ObjectMapper().readTree(board.toFile()).path("uid").asText());
            }
        }
        return uids;
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.strip().startsWith(what)).count();
    }
}
