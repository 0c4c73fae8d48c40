package dev.cursorexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alerts' links as a mixin would build them: every {@code dashboard_url} is {@code grafanaUrl + /d/<uid>} and
 * every alert gets {@code runbook_url} = {@code runbookUrlPattern} with its RUNBOOK.md anchor, from the parameters
 * in {@value #PARAMETERS_FILE}. Rewrites the rule file and its promtool tests (whose {@code exp_annotations} must
 * match) line by line, so comments and layout stay as written; only those two annotations change. Each alert's
 * board uid is kept from its current {@code dashboard_url}. {@link AlertLinksTest} fails when the committed files
 * differ from what this writes; {@value #REGENERATE} writes them anew.
 */
final class AlertLinks {
    static final String PARAMETERS_FILE = "alerts/links.yml";
    static final String REGENERATE = "./mvnw -B -q test -Dtest=AlertLinksTest -Dalerts.regenerate=true";
    static final Path RULES = Path.of("alerts", "cursor-alerts.yml");
    static final Path TESTS = Path.of("alerts", "cursor-alerts.test.yml");

    private static final Pattern ALERT_NAME = Pattern.compile("^\\s*(?:- )?(?:alert|alertname): (\\w+)\\s*$");
    private static final Pattern DASHBOARD = Pattern.compile("^(\\s*)dashboard_url: \\S*?(/d/[a-z0-9-]+)\\s*$");
    private static final Pattern RUNBOOK = Pattern.compile("^\\s*runbook_url: .*$");

    /** The parameters: both absolute http(s) URLs; the pattern has exactly one {@code %s}. */
    record Parameters(String grafanaUrl, String runbookUrlPattern) {
        Parameters {
            grafanaUrl = absolute("grafanaUrl", grafanaUrl).replaceAll("/+$", "");
            absolute("runbookUrlPattern", runbookUrlPattern);
            if (runbookUrlPattern.split("%s", -1).length != 2) {
                throw new IllegalArgumentException("runbookUrlPattern: needs exactly one %s (the alert's anchor), got '"
                        + runbookUrlPattern + "'");
            }
        }

        String runbookUrl(String alert) {
            return runbookUrlPattern.replace("%s", anchor(alert));
        }

        String dashboardUrl(String path) {
            return grafanaUrl + path;
        }

        static Parameters read(Path file) {
            try {
                JsonNode yaml = new YAMLMapper().readTree(file.toFile());
                return new Parameters(yaml.path("grafanaUrl").asText(""), yaml.path("runbookUrlPattern").asText(""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String absolute(String key, String url) {
            try {
                URI uri = new URI(url.replace("%s", "x"));
                if (!uri.isAbsolute() || uri.getHost() == null
                        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                    throw new URISyntaxException(url, "not an absolute http(s) URL");
                }
                return url;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(key + ": must be an absolute http(s) URL like "
                        + "https://grafana.example.com, got '" + url + "'");
            }
        }
    }

    private AlertLinks() {
    }

    /** The section anchor of an alert in RUNBOOK.md: its heading {@code ## <Alert>} as GitHub renders it. */
    static String anchor(String alert) {
        return alert.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code text} with every {@code dashboard_url} rebased on {@code grafanaUrl} and a {@code runbook_url} line of
     * the alert named above it (its {@code alert:} or {@code alertname:}) just before it; old {@code runbook_url}
     * lines are dropped, so the result is the same however often this runs.
     */
    static String rewrite(String text, Parameters parameters) {
        StringBuilder out = new StringBuilder();
        String alert = null;
        for (String line : text.split("\n", -1)) {
            Matcher name = ALERT_NAME.matcher(line);
            if (name.matches()) {
                alert = name.group(1);
            }
            if (RUNBOOK.matcher(line).matches()) {
                continue;
            }
            Matcher dashboard = DASHBOARD.matcher(line);
            if (dashboard.matches()) {
                if (alert == null) {
                    throw new IllegalStateException("a dashboard_url before any alert: " + line);
                }
                String indent = dashboard.group(1);
                out.append(indent).append("runbook_url: ").append(parameters.runbookUrl(alert)).append('\n');
                out.append(indent).append("dashboard_url: ").append(parameters.dashboardUrl(dashboard.group(2)));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** The rule file and its tests, by path, as they must be committed. */
    static Map<Path, String> generated() {
        Parameters parameters = Parameters.read(Path.of(PARAMETERS_FILE));
        Map<Path, String> out = new LinkedHashMap<>();
        for (Path file : List.of(RULES, TESTS)) {
            out.put(file, rewrite(read(file), parameters));
        }
        return out;
    }

    static void write() {
        generated().forEach((path, text) -> {
            try {
                Files.writeString(path, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The alert names of the rule file, in order. */
    static List<String> alerts(Path rules) {
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode group : new YAMLMapper().readTree(rules.toFile()).get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    if (rule.has("alert")) {
                        names.add(rule.get("alert").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
