package dev.cursorexporter.config;

import dev.cursorexporter.model.BudgetFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table of keys ({@link ConfigKeys}) is the one place keys are declared: the loader reads every key of it from
 * the environment and from YAML, its defaults are the builder's, and the README's configuration table lists exactly
 * its keys, variables and defaults.
 */
class ConfigKeysTest {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern FIELD_LIST = Pattern.compile("([\\w.]+): \\[\\{([\\w, ]+)}]");
    private static final Pattern BRACES = Pattern.compile("(.*)\\{([\\w,]+)}(.*)");

    @TempDir
    Path tmp;

    @Test
    void theBuilderStartsFromTheDefaultsTheLoaderApplies() throws ConfigException {
        assertEquals(ConfigLoader.load(Map.of()), ExporterConfig.builder().demo(true).build());
    }

    /**
     * A value for each key, different from its default, and what else must be set for the key to matter. A key added
     * to the table needs its line here.
     */
    private Map<String, Sample> samples() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "file_SECRET\n");
        Path csv = Files.writeString(tmp.resolve("people.csv"), "email,team,location\n");
        Map<String, String> withKey = Map.of("CURSOR_API_KEY", "key_SECRET_context");
        Map<String, Sample> samples = new HashMap<>(Map.ofEntries(
                Map.entry("server.port", new Sample("1234")),
                Map.entry("server.bind_address", new Sample("127.0.0.1")),
                Map.entry("log.level", new Sample("debug")),
                Map.entry("log.format", new Sample("json")),
                Map.entry("server.auth_token", new Sample("tok_SECRET")),
                Map.entry("server.auth_token_file", new Sample(secret.toString())),
                Map.entry("server.basic_auth.user", new Sample("prometheus")),
                Map.entry("server.basic_auth.password", new Sample("pw_SECRET")),
                Map.entry("server.basic_auth.password_file", new Sample(secret.toString())),
                Map.entry("otlp.port", new Sample("4319")),
                Map.entry("otlp.token", new Sample("otlp_SECRET")),
                Map.entry("otlp.token_file", new Sample(secret.toString())),
                Map.entry("otlp.max_body_size", new Sample("1MiB")),
                Map.entry("otlp.silent_after", new Sample("45m")),
                Map.entry("store.data_dir", new Sample(tmp.toString())),
                Map.entry("store.url", new Sample("jdbc:sqlite:" + tmp.resolve("x.db"))),
                Map.entry("store.password", new Sample("pw_SECRET",
                        Map.of("CURSOR_EXPORTER_STORE_URL", "jdbc:postgresql://localhost/cursor"))),
                Map.entry("store.password_file", new Sample(secret.toString(),
                        Map.of("CURSOR_EXPORTER_STORE_URL", "jdbc:postgresql://localhost/cursor"))),
                Map.entry("sync.backfill_days", new Sample("7")),
                Map.entry("sync.lookback_days", new Sample("5")),
                Map.entry("sync.max_answer_size", new Sample("1MiB")),
                Map.entry("cursor.api_key", new Sample("key_SECRET")),
                Map.entry("cursor.api_key_file", new Sample(secret.toString())),
                Map.entry("cursor.base_url", new Sample("http://localhost:1", withKey)),
                Map.entry("demo", new Sample("true", withKey)),
                Map.entry("directory.file", new Sample(csv.toString())),
                Map.entry("directory.team_source", new Sample("billing_groups")),
                Map.entry("metrics.user_label", new Sample("none")),
                Map.entry("metrics.user_label_salt", new Sample("salt_SECRET")),
                Map.entry("metrics.max_series_per_metric", new Sample("200")),
                Map.entry("metrics.max_users", new Sample("300")),
                Map.entry("metrics.max_models", new Sample("12"))));
        ConfigKeys.INTERVALS.values().forEach(key -> samples.put(key.path(), new Sample("3h")));
        ConfigKeys.RATE_LIMITS.values().forEach(key -> samples.put(key.path(), new Sample("7")));
        return samples;
    }

    record Sample(String value, Map<String, String> context) {
        Sample(String value) {
            this(value, Map.of());
        }
    }

    static Stream<ConfigKey<?>> keys() {
        return ConfigKeys.VALUES.stream();
    }

    @Test
    void everyKeyHasASample() throws IOException {
        assertEquals(new TreeSet<>(ConfigKeys.VALUES.stream().map(ConfigKey::path).toList()),
                new TreeSet<>(samples().keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void everyKeyIsReadFromYamlAndFromItsVariable(ConfigKey<?> key) throws IOException {
        Sample sample = samples().get(key.path());
        Object without = outcome(sample.context());

        Map<String, String> yaml = new HashMap<>(sample.context());
        yaml.put("CURSOR_EXPORTER_CONFIG", Files.writeString(tmp.resolve("c.yaml"), yaml(key.path(), sample.value()))
                .toString());
        assertNotEquals(without, outcome(yaml), key.path() + " in YAML changes nothing");

        if (key.env().isPresent()) {
            Map<String, String> env = new HashMap<>(sample.context());
            env.put(key.env().get(), sample.value());
            assertNotEquals(without, outcome(env), key.env().get() + " changes nothing");
        }
    }

    /** The configuration, or the problems when it is refused: either way what a key changed shows. */
    private static Object outcome(Map<String, String> env) {
        try {
            return ConfigLoader.load(env);
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** {@code a.b.c: v} as nested YAML mappings, the value double-quoted. */
    private static String yaml(String path, String value) {
        String[] parts = path.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            out.append("  ".repeat(i)).append(parts[i]).append(':');
            out.append(i == parts.length - 1 ? " \"" + value.replace("\\", "\\\\") + "\"\n" : "\n");
        }
        return out.toString();
    }

    // ---- the README's configuration table -----------------------------------------------------------------------

    /** One row of the README's table: its variables, YAML keys and the code spans of its default (outside parentheses). */
    record Row(List<String> variables, List<String> yamlKeys, List<String> defaults) {
    }

    @Test
    void theReadmeTableListsExactlyTheKeysOfTheTable() throws IOException {
        List<Row> rows = readmeRows();
        assertTrue(rows.size() > 10, "rows found: " + rows);

        Set<String> variables = new TreeSet<>();
        Set<String> yamlKeys = new TreeSet<>();
        rows.forEach(row -> {
            variables.addAll(row.variables());
            yamlKeys.addAll(row.yamlKeys());
        });
        assertEquals(new TreeSet<>(ConfigKeys.VALUES.stream().flatMap(k -> k.env().stream()).toList()), variables);
        Set<String> declared = new TreeSet<>();
        ConfigKeys.VALUES.forEach(k -> declared.add(k.path()));
        ConfigKeys.TREES.forEach(k -> declared.add(k.path()));
        ConfigKeys.ACCOUNT_FIELDS.forEach(k -> declared.add(ConfigKeys.ACCOUNTS + "[i]." + k.path()));
        assertEquals(declared, yamlKeys);
    }

    @Test
    void theReadmeTableShowsTheDefaultsOfTheTable() throws IOException {
        Map<String, ConfigKey<?>> byPath = new TreeMap<>();
        ConfigKeys.VALUES.forEach(k -> byPath.put(k.path(), k));
        for (Row row : readmeRows()) {
            if (!row.yamlKeys().stream().allMatch(byPath::containsKey)) {
                continue; // structures and account fields: their defaults are prose
            }
            List<String> expected = row.yamlKeys().stream().map(byPath::get)
                    .flatMap(k -> k.fallback().stream()).map(ConfigKeysTest::shown).toList();
            assertEquals(expected, row.defaults(), "the default of " + row.yamlKeys());
        }
    }

    /** A default the way the README (and a user) writes it. */
    private static String shown(Object value) {
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Long bytes) {
            return ByteSizes.format(bytes);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return Objects.toString(value);
    }

    private static List<Row> readmeRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Configuration");
        assertTrue(start >= 0, "README has a Configuration section");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (!line.startsWith("| ") || line.startsWith("| environment variable")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is before the first '|'; then variable, YAML key, meaning, default
            rows.add(new Row(variables(cells[1]), yamlKeys(cells[2]), spans(cells[4].replaceAll("\\([^)]*\\)", ""))));
        }
        return rows;
    }

    /** {@code `CURSOR_X` / `_FILE`}: a span starting with {@code _} completes the span before it. */
    private static List<String> variables(String cell) {
        List<String> out = new ArrayList<>();
        for (String span : spans(cell)) {
            out.add(span.startsWith("_") ? out.get(out.size() - 1) + span : span);
        }
        return out;
    }

    /**
     * {@code `a.b` / `a.c`}, {@code `a.{b,c}`}, {@code `list: [{f, g}]`} (fields of each entry),
     * {@code `tree: {…}`} (a structure) and {@code <family>} (each rate-limit family).
     */
    private static List<String> yamlKeys(String cell) {
        Set<String> out = new LinkedHashSet<>();
        for (String span : spans(cell)) {
            Matcher fields = FIELD_LIST.matcher(span);
            if (fields.matches()) {
                Arrays.stream(fields.group(2).split(",\\s*")).forEach(f -> out.add(fields.group(1) + "[i]." + f));
                continue;
            }
            String key = span.contains(": ") ? span.substring(0, span.indexOf(": ")) : span;
            out.addAll(expand(key.replace("<family>",
                    "{" + Arrays.stream(BudgetFamily.values()).map(BudgetFamily::key)
                            .collect(Collectors.joining(",")) + "}")));
        }
        return List.copyOf(out);
    }

    private static List<String> expand(String key) {
        Matcher m = BRACES.matcher(key);
        if (!m.matches()) {
            return List.of(key);
        }
        return Arrays.stream(m.group(2).split(",")).map(choice -> m.group(1) + choice + m.group(3)).toList();
    }

    private static List<String> spans(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void aYamlPathOfTheTableIsNotAlsoASection() {
        // a leaf that is also a prefix of another leaf could not be both a value and a mapping in YAML
        Set<String> paths = ConfigKeys.VALUES.stream().map(ConfigKey::path).collect(Collectors.toSet());
        for (String path : paths) {
            assertTrue(paths.stream().noneMatch(other -> other.startsWith(path + ".")), path);
        }
        assertEquals(Optional.empty(), ConfigKeys.VALUES.stream().map(ConfigKey::env).flatMap(Optional::stream)
                .collect(Collectors.groupingBy(v -> v, Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1).findFirst(), "a variable declared twice");
    }
}
