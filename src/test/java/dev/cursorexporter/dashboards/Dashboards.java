package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shipped dashboard files (read from the project root, where Maven runs tests) and walks over their parts. */
final class Dashboards {
    static final Path DIR = Path.of("grafana-dashboards");
    static final List<String> UIDS = List.of("cursor-overview", "cursor-spend", "cursor-adoption", "cursor-people",
            "cursor-history", "cursor-exporter-health", "cursor-live");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Dashboards() {
    }

    /** One dashboard file: its name without {@code .json}, its raw text and its parsed tree. */
    record Board(String name, String text, JsonNode json) {
        @Override
        public String toString() {
            return name;
        }

        /** Every panel, rows and the panels inside collapsed rows included. */
        List<JsonNode> panels() {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode p : json.path("panels")) {
                out.add(p);
                p.path("panels").forEach(out::add);
            }
            return out;
        }

        List<JsonNode> variables() {
            List<JsonNode> out = new ArrayList<>();
            json.path("templating").path("list").forEach(out::add);
            return out;
        }

        JsonNode variable(String name) {
            return variables().stream().filter(v -> v.path("name").asText().equals(name)).findFirst().orElse(null);
        }

        /** Every Prometheus expression of every panel target. */
        List<String> expressions() {
            List<String> out = new ArrayList<>();
            for (JsonNode p : panels()) {
                for (JsonNode t : p.path("targets")) {
                    if (t.has("expr")) {
                        out.add(t.path("expr").asText());
                    }
                }
            }
            return out;
        }

        /** The string queries of the Prometheus query variables. */
        List<String> variableQueries() {
            return variables().stream().filter(v -> v.path("type").asText().equals("query"))
                    .map(v -> v.path("query").asText()).toList();
        }
    }

    static List<Board> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Board> boards = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String text = Files.readString(f);
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                boards.add(new Board(name, text, JSON.readTree(text)));
            }
            return boards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
