package dev.cursorexporter.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Parses Prometheus text exposition (0.0.4) into samples, so tests can assert on what a real scrape said.
 * Deliberately independent of client_java: it reads the bytes Prometheus would read.
 */
public final class Exposition {
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;
    private final Map<String, String> helps;

    private Exposition(List<Sample> samples, Map<String, String> types, Map<String, String> helps) {
        this.samples = samples;
        this.types = types;
        this.helps = helps;
    }

    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> helps = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ", 2);
                types.put(p[0], p[1]);
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                helps.put(p[0], p.length > 1 ? p[1] : "");
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            samples.add(parseSample(line));
        }
        return new Exposition(samples, types, helps);
    }

    private static Sample parseSample(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = i + 1;
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String[] rest = line.substring(space).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(rest[0]));
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public List<Sample> all() {
        return samples;
    }

    public String type(String family) {
        return types.get(family);
    }

    public String help(String family) {
        return helps.get(family);
    }

    /** Sum of {@code name} over the samples whose labels match, grouped by one label's value. */
    public Map<String, Double> sumBy(String name, String label, Predicate<Map<String, String>> filter) {
        Map<String, Double> out = new HashMap<>();
        for (Sample s : samples(name)) {
            if (filter.test(s.labels())) {
                out.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum);
            }
        }
        return out;
    }

    public Map<String, Double> sumBy(String name, String label) {
        return sumBy(name, label, l -> true);
    }

    /** Only the samples whose {@code label} equals {@code value}, e.g. one account of several. */
    public Exposition where(String label, String value) {
        return new Exposition(samples.stream().filter(s -> value.equals(s.labels().get(label))).toList(), types, helps);
    }

    /**
     * This scrape with each {@code cursor_usage_*_total} counter sample lowered by its
     * {@code cursor_usage_withdrawn_*_total} sample of the same labels: what Cursor reports now, after restatements.
     */
    public Exposition netOfWithdrawn() {
        Map<String, Double> withdrawn = new HashMap<>();
        String prefix = "cursor_usage_withdrawn_";
        for (Sample s : samples) {
            if (s.name().startsWith(prefix)) {
                withdrawn.put("cursor_usage_" + s.name().substring(prefix.length()) + s.labels(), s.value());
            }
        }
        List<Sample> net = new ArrayList<>();
        for (Sample s : samples) {
            Double w = withdrawn.get(s.name() + s.labels());
            net.add(w == null ? s : new Sample(s.name(), s.labels(), s.value() - w));
        }
        return new Exposition(net, types, helps);
    }

    public double sum(String name, Predicate<Map<String, String>> filter) {
        return samples(name).stream().filter(s -> filter.test(s.labels())).mapToDouble(Sample::value).sum();
    }

    /**
     * A scrape's text without what moves between two scrapes of the same snapshot: the values of the process and JVM
     * samples (CPU time, heap) and the HTTP request metrics (the scrape before counts). For comparing two bodies.
     */
    public static String withoutMovingParts(String body) {
        return body.lines().filter(line -> !line.contains("cursor_exporter_http_request"))
                .map(line -> line.startsWith("process_") || line.startsWith("jvm_")
                        ? line.substring(0, line.lastIndexOf(' ')) : line)
                .collect(java.util.stream.Collectors.joining("\n"));
    }
}
