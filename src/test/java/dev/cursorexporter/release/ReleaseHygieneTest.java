package dev.cursorexporter.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Release hygiene (issue 16, item 7): the documents link only to what exists, the compose file stops the exporter
 * with the grace period the README asks for, the licence is the one the pom, image and README name, the image
 * carries OCI labels from build arguments, a release version has its changelog section, and no stray jqwik
 * database is tracked.
 */
class ReleaseHygieneTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    /** [text](target): the target up to a space or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A Markdown file named anywhere in the text, e.g. "see REFERENCE.md §1". */
    private static final Pattern MARKDOWN_NAME = Pattern.compile("(?<![\\w./-])(\\w[\\w./-]*\\.md)\\b");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "RUNBOOK.md", "CHANGELOG.md", "BENCHMARKS.md"})
    void everyFileAndSectionADocumentLinksToExists(String document) throws IOException {
        Path doc = Path.of(document);
        String text = Files.readString(doc);
        Set<String> anchors = anchors(text);
        List<String> broken = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("(?i)(https?|mailto):.*")) {
                continue;
            }
            String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
            String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : "";
            if (!file.isEmpty() && !Files.exists(resolve(doc, file))) {
                broken.add(target + " (no such file)");
            } else if (!anchor.isEmpty()) {
                Set<String> in = file.isEmpty() ? anchors : anchors(Files.readString(resolve(doc, file)));
                if (!in.contains(anchor)) {
                    broken.add(target + " (no such section)");
                }
            }
        }
        Matcher named = MARKDOWN_NAME.matcher(text.replaceAll("https?://\\S+", ""));
        while (named.find()) {
            String name = named.group(1);
            if (!Files.exists(resolve(doc, name)) && !existsUnderTheRepository(name)) {
                broken.add(name + " (named, not in the repository)");
            }
        }
        assertEquals(List.of(), broken, document + " refers to what is not there");
    }

    @Test
    void composeGivesTheExporterTheStopGracePeriodTheReadmeAsksFor() throws IOException {
        Matcher asked = Pattern.compile("stop grace period of at least (\\d+) s").matcher(Files.readString(Path.of("README.md")));
        assertTrue(asked.find(), "README \"Lifecycle\" states the grace period");
        Duration documented = Duration.ofSeconds(Long.parseLong(asked.group(1)));
        JsonNode exporter = YAML.readTree(Path.of("docker-compose.yml").toFile()).at("/services/cursor-exporter");
        String grace = exporter.path("stop_grace_period").asText("");
        assertTrue(grace.matches("\\d+s"), "stop_grace_period in seconds, got '" + grace + "'");
        Duration configured = Duration.ofSeconds(Long.parseLong(grace.substring(0, grace.length() - 1)));
        assertTrue(configured.compareTo(documented) >= 0, configured + " < " + documented);
        JsonNode pod = YAML.readTree(Path.of("deploy/kubernetes/deployment.yaml").toFile())
                .at("/spec/template/spec/terminationGracePeriodSeconds");
        assertTrue(pod.asLong() >= documented.toSeconds(), "the Deployment's grace period " + pod);
    }

    @Test
    void theLicenceIsApache2EverywhereItIsNamed() throws IOException {
        String license = Files.readString(Path.of("LICENSE"));
        assertTrue(license.strip().startsWith("Apache License\n                           Version 2.0, January 2004"),
                license.substring(0, 120));
        assertTrue(license.contains("END OF TERMS AND CONDITIONS"), "the whole text");
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<name>Apache-2.0</name>"), "pom <licenses>");
        assertTrue(Files.readString(Path.of("Dockerfile")).contains("org.opencontainers.image.licenses=\"Apache-2.0\""));
    }

    @Test
    void theImageIsLabelledWithTheVersionAndRevisionOfItsBuild() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        for (String arg : List.of("VERSION", "REVISION", "CREATED")) {
            assertTrue(runtime.contains("\nARG " + arg), "ARG " + arg + " in the runtime stage");
        }
        for (String label : List.of("title", "description", "licenses", "source")) {
            assertTrue(runtime.contains("org.opencontainers.image." + label + "="), label);
        }
        assertTrue(runtime.contains("org.opencontainers.image.version=\"${VERSION}\""), "version from the build arg");
        assertTrue(runtime.contains("org.opencontainers.image.revision=\"${REVISION}\""), "revision from the build arg");
        assertTrue(runtime.contains("org.opencontainers.image.created=\"${CREATED}\""), "created from the build arg");
    }

    @Test
    void theChangelogKeepsAChangelogAndAReleaseVersionHasItsSection() throws IOException {
        String changelog = Files.readString(Path.of("CHANGELOG.md"));
        assertTrue(changelog.contains("\n## [Unreleased]\n"), "an Unreleased section on top");
        Matcher version = Pattern.compile("<artifactId>cursor-exporter</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        String v = version.group(1);
        if (!v.endsWith("-SNAPSHOT")) {
            assertTrue(Pattern.compile("(?m)^## \\[" + Pattern.quote(v) + "\\] - \\d{4}-\\d{2}-\\d{2}$")
                    .matcher(changelog).find(), "release " + v + " needs its '## [" + v + "] - YYYY-MM-DD' section");
        }
        Matcher sections = Pattern.compile("(?m)^## \\[([^\\]]+)\\]").matcher(changelog);
        while (sections.find()) {
            assertTrue(sections.group(1).equals("Unreleased") || sections.group(1).matches("\\d+\\.\\d+\\.\\d+"),
                    sections.group(0));
        }
    }

    @Test
    void noJqwikDatabaseIsTracked() throws IOException {
        assertFalse(Files.exists(Path.of(".jqwik-database")), ".jqwik-database in the working tree");
        assertTrue(Files.readAllLines(Path.of(".gitignore")).contains(".jqwik-database"));
    }

    /** The section anchors of a Markdown text, as GitHub makes them from its headings. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new TreeSet<>();
        Matcher m = HEADING.matcher(markdown.replaceAll("(?s)```.*?```", ""));
        while (m.find()) {
            out.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-'));
        }
        return out;
    }

    private static Path resolve(Path document, String file) {
        Path parent = document.toAbsolutePath().getParent();
        return parent.resolve(file).normalize();
    }

    /** A name like "kubernetes/README.md" mentioned in passing: some file of the repository ends with it. */
    private static boolean existsUnderTheRepository(String name) throws IOException {
        try (var files = Files.walk(Path.of("."))) {
            return files.filter(p -> !p.startsWith("./target") && !p.toString().contains("node_modules"))
                    .anyMatch(p -> p.toString().endsWith("/" + name));
        }
    }
}
