package dev.cursorexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * deploy/kubernetes: reads the manifests, and writes the generated ones from their sources, so that they are never
 * copied by hand: the PrometheusRule from alerts/cursor-alerts.yml and one ConfigMap per board of
 * grafana-dashboards/ for Grafana's dashboard sidecar. {@link KubernetesManifestsTest} fails when the committed
 * files differ from what this writes; {@value #REGENERATE} writes them anew.
 */
final class KubernetesManifests {
    static final String REGENERATE = "./mvnw -B -q test -Dtest=KubernetesManifestsTest -Dk8s.regenerate=true";
    static final Path DIR = Path.of("deploy", "kubernetes");
    static final Path PROMETHEUS_RULE = DIR.resolve("generated/prometheusrule.yaml");
    static final Path DASHBOARDS = DIR.resolve("generated/grafana-dashboards.yaml");
    static final Path ALERTS = Path.of("alerts", "cursor-alerts.yml");
    static final Path BOARDS = Path.of("grafana-dashboards");

    static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesManifests() {
    }

    /** The generated files, by path, as they must be committed. */
    static Map<Path, String> generated() {
        Map<Path, String> out = new LinkedHashMap<>();
        out.put(PROMETHEUS_RULE, prometheusRule());
        out.put(DASHBOARDS, dashboards());
        return out;
    }

    static String prometheusRule() {
        JsonNode groups = readYaml(ALERTS).get(0).get("groups");
        ObjectNode rule = object();
        rule.put("apiVersion", "monitoring.coreos.com/v1");
        rule.put("kind", "PrometheusRule");
        ObjectNode metadata = rule.putObject("metadata");
        metadata.put("name", "cursor-exporter");
        labels(metadata);
        rule.putObject("spec").set("groups", groups);
        return header(ALERTS.toString()) + yaml(rule);
    }

    static String dashboards() {
        Map<String, String> folders = folders();
        StringBuilder out = new StringBuilder(header(BOARDS + "/*.json"));
        String separator = "";
        for (Path board : boards()) {
            String file = board.getFileName().toString();
            String name = file.substring(0, file.length() - ".json".length());
            ObjectNode map = object();
            map.put("apiVersion", "v1");
            map.put("kind", "ConfigMap");
            ObjectNode metadata = map.putObject("metadata");
            metadata.put("name", "grafana-dashboard-" + name);
            labels(metadata).put("grafana_dashboard", "1");
            // the folder of docker-compose's provisioning; the sidecar honours it when its folderAnnotation is
            // grafana_folder (kube-prometheus-stack: sidecar.dashboards.folderAnnotation)
            metadata.putObject("annotations").put("grafana_folder", folders.getOrDefault(file, "Cursor"));
            map.putObject("data").put(file, read(board));
            out.append(separator).append(yaml(map));
            separator = "---\n";
        }
        return out.toString();
    }

    /** grafana-dashboards/*.json, sorted. */
    static List<Path> boards() {
        try (Stream<Path> files = Files.list(BOARDS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Board file → Grafana folder, as docker-compose.yml mounts each board into a directory and the provisioning
     * file names that directory's folder (the people board goes to "Cursor (admin)").
     */
    static Map<String, String> folders() {
        Map<String, String> folderByDir = new LinkedHashMap<>();
        for (JsonNode provider : readYaml(BOARDS.resolve("provisioning/dashboards/cursor.yaml")).get(0).get("providers")) {
            folderByDir.put(provider.path("options").path("path").asText(), provider.path("folder").asText());
        }
        Map<String, String> out = new LinkedHashMap<>();
        Pattern mount = Pattern.compile("\\./grafana-dashboards/([^/:]+\\.json):(/[^:]+)/[^/:]+\\.json(:ro)?");
        for (JsonNode volume : readYaml(Path.of("docker-compose.yml")).get(0).path("services").path("grafana").path("volumes")) {
            Matcher m = mount.matcher(volume.asText());
            if (m.matches() && folderByDir.containsKey(m.group(2))) {
                out.put(m.group(1), folderByDir.get(m.group(2)));
            }
        }
        return out;
    }

    /** Writes the generated files. */
    static void write() {
        generated().forEach((path, text) -> {
            try {
                Files.createDirectories(path.getParent());
                Files.writeString(path, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The resources kustomization.yaml lists, in its order. */
    static List<Path> resources() {
        List<Path> out = new ArrayList<>();
        readYaml(DIR.resolve("kustomization.yaml")).get(0).get("resources").forEach(r -> out.add(DIR.resolve(r.asText())));
        return out;
    }

    /** Every object of every resource of the kustomization. */
    static List<JsonNode> objects() {
        List<JsonNode> out = new ArrayList<>();
        resources().forEach(p -> out.addAll(readYaml(p)));
        return out;
    }

    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    static List<JsonNode> readYaml(Path path) {
        return parseYaml(read(path));
    }

    static List<JsonNode> parseYaml(String text) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(List<JsonNode> nodes) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        nodes.forEach(array::add);
        return array.toString();
    }

    private static ObjectNode labels(ObjectNode metadata) {
        ObjectNode labels = metadata.putObject("labels");
        labels.put("app.kubernetes.io/name", "cursor-exporter");
        return labels;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static String header(String source) {
        return "# GENERATED from " + source + " by KubernetesManifestsTest: do not edit. Regenerate with\n"
                + "#   " + REGENERATE + "\n";
    }
}
