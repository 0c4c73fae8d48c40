package dev.cursorexporter.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.cursorexporter.config.ConfigKey.YamlValue;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The YAML configuration file flattened to {@link Setting}s keyed by their dotted path. Checks the file's shape, as the
 * table of keys ({@link ConfigKeys}) declares it (known keys, mappings where mappings belong, scalars where scalars
 * belong), and nothing else: what a value means is {@link ConfigLoader}'s business, so that a YAML value overridden
 * by the environment is never judged.
 */
final class YamlSettings {
    static final YamlSettings NONE = new YamlSettings();

    private static final Map<String, YamlValue> LEAVES = byPath(ConfigKeys.VALUES);
    /** Structured values (lists, free-form mappings) handed as a tree to their own parsers. */
    private static final Set<String> TREES =
            ConfigKeys.TREES.stream().map(TreeKey::path).collect(Collectors.toUnmodifiableSet());
    /** Every mapping that holds keys: the paths above the leaves and trees ({@code server}, {@code sync.intervals}). */
    private static final Set<String> SECTIONS = sections();
    private static final String ACCOUNT_RATE_LIMITS = "rate_limits";
    /** The fields of an account but its rate limits, which {@link #readAccountRateLimits} reads. */
    private static final Map<String, YamlValue> ACCOUNT_LEAVES = byPath(ConfigKeys.ACCOUNT_FIELDS.stream()
            .filter(key -> !key.path().startsWith(ACCOUNT_RATE_LIMITS + ".")).toList());
    private static final Map<String, YamlValue> ACCOUNT_RATE_LIMIT_LEAVES = byPath(ConfigKeys.ACCOUNT_FIELDS.stream()
            .filter(key -> key.path().startsWith(ACCOUNT_RATE_LIMITS + ".")).toList());
    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // `server:` with nothing after it is an empty section, not the string ""
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            // booleans are true/false only; `yes`, `on`, `y` stay strings and are rejected where a boolean is due
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build());

    private final Map<String, Setting> values = new HashMap<>();
    private final Set<String> sections = new HashSet<>();
    private final Set<String> rejected = new HashSet<>();
    private final Map<String, JsonNode> trees = new HashMap<>();
    private List<AccountEntry> accounts;
    private int accountsDeclared;

    /**
     * One well-formed entry of the {@code accounts:} list.
     *
     * @param path   {@code accounts[i]}
     * @param fields keyed by field name ({@code api_key}), each setting named by its full path
     *               ({@code accounts[1].api_key})
     */
    record AccountEntry(String path, Map<String, Setting> fields) {
        Setting get(String field) {
            return fields.get(field);
        }
    }

    private YamlSettings() {
    }

    /**
     * Reads the file named by {@code file} (the {@code CURSOR_EXPORTER_CONFIG} setting). Every problem goes to
     * {@code problems}; what could be read is kept.
     */
    static YamlSettings read(Setting file, List<String> problems) {
        String shown = file.value();
        byte[] bytes;
        try {
            Path path = Path.of(shown);
            if (Files.isDirectory(path)) {
                problems.add(file.key() + ": cannot read '" + shown + "': is a directory");
                return NONE;
            }
            bytes = Files.readAllBytes(path);
        } catch (InvalidPathException e) {
            problems.add(file.key() + ": cannot read '" + shown + "': invalid path");
            return NONE;
        } catch (IOException e) {
            problems.add(file.key() + ": cannot read '" + shown + "': " + FileReasons.of(e));
            return NONE;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            problems.add(shown + ": " + invalidYaml(e));
            return NONE;
        }
        YamlSettings settings = new YamlSettings();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return settings; // an empty file configures nothing
        }
        if (!root.isObject()) {
            problems.add(shown + ": must be a mapping of settings at the top level, got " + typeOf(root));
            return settings;
        }
        settings.walk(root, "", problems);
        return settings;
    }

    /** The value at a dotted path ({@code sync.intervals.spend}), or null when absent or blank. */
    Setting get(String path) {
        return values.get(path);
    }

    /**
     * Whether a value was given at this path but refused for its type (already reported), so that the loader does
     * not also report it as missing.
     */
    boolean rejected(String path) {
        return rejected.contains(path);
    }

    /** The tree at {@code path} (one of {@link #TREES}) when the file has it and it is not empty. */
    Optional<JsonNode> tree(String path) {
        return Optional.ofNullable(trees.get(path));
    }

    /** Whether the file names this section at all (even empty). */
    boolean hasSection(String path) {
        return sections.contains(path);
    }

    /**
     * The {@code accounts:} list when the file has one; entries that are not mappings are left out (already
     * reported).
     */
    Optional<List<AccountEntry>> accounts() {
        return Optional.ofNullable(accounts).map(List::copyOf);
    }

    /** How many entries the {@code accounts:} list declares, well-formed or not. */
    int accountsDeclared() {
        return accountsDeclared;
    }

    private void walk(JsonNode mapping, String prefix, List<String> problems) {
        for (Map.Entry<String, JsonNode> field : mapping.properties()) {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode node = field.getValue();
            YamlValue kind = LEAVES.get(path);
            if (path.equals(ConfigKeys.ACCOUNTS)) {
                readAccounts(node, problems);
            } else if (TREES.contains(path)) {
                if (!node.isNull()) {
                    trees.put(path, node);
                }
            } else if (kind != null) {
                leaf(path, node, kind, problems).ifPresent(s -> values.put(path, s));
            } else if (SECTIONS.contains(path)) {
                sections.add(path);
                if (node.isObject()) {
                    walk(node, path, problems);
                } else if (!node.isNull()) {
                    problems.add(path + ": must be a mapping, got " + typeOf(node));
                }
            } else {
                problems.add("unknown key '" + path + "'");
            }
        }
    }

    private void readAccounts(JsonNode node, List<String> problems) {
        sections.add(ConfigKeys.ACCOUNTS);
        if (node.isNull()) {
            accounts = List.of();
            return;
        }
        if (!node.isArray()) {
            problems.add("accounts: must be a list, got " + typeOf(node));
            return;
        }
        accounts = new ArrayList<>();
        accountsDeclared = node.size();
        for (int i = 0; i < node.size(); i++) {
            String prefix = "accounts[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                problems.add(prefix + ": must be a mapping, got " + typeOf(entry));
                continue;
            }
            Map<String, Setting> fields = new HashMap<>();
            for (Map.Entry<String, JsonNode> field : entry.properties()) {
                String path = prefix + "." + field.getKey();
                if (field.getKey().equals(ACCOUNT_RATE_LIMITS) && field.getValue().isObject()) {
                    readAccountRateLimits(path, field.getValue(), fields, problems);
                    continue;
                }
                YamlValue kind = ACCOUNT_LEAVES.get(field.getKey());
                if (kind == null) {
                    problems.add("unknown key '" + path + "'");
                } else {
                    leaf(path, field.getValue(), kind, problems).ifPresent(s -> fields.put(field.getKey(), s));
                }
            }
            accounts.add(new AccountEntry(prefix, Map.copyOf(fields)));
        }
    }

    /** {@code accounts[i].rate_limits.<family>}: this account's own requests per minute, stored as {@code rate_limits.<family>}. */
    private void readAccountRateLimits(String path, JsonNode node, Map<String, Setting> fields, List<String> problems) {
        for (Map.Entry<String, JsonNode> limit : node.properties()) {
            String limitPath = path + "." + limit.getKey();
            String field = ACCOUNT_RATE_LIMITS + "." + limit.getKey();
            YamlValue kind = ACCOUNT_RATE_LIMIT_LEAVES.get(field);
            if (kind == null) {
                problems.add("unknown key '" + limitPath + "'");
            } else {
                leaf(limitPath, limit.getValue(), kind, problems).ifPresent(v -> fields.put(field, v));
            }
        }
    }

    private Optional<Setting> leaf(String path, JsonNode node, YamlValue kind, List<String> problems) {
        if (node.isNull()) {
            return Optional.empty(); // `key:` with nothing after it leaves the default in place
        }
        if (node.isContainerNode()) {
            String expected = kind == YamlValue.STRING ? "a string" : "a single value";
            problems.add(path + ": must be " + expected + ", got " + typeOf(node));
            rejected.add(path);
            return Optional.empty();
        }
        if (kind == YamlValue.STRING && !node.isTextual()) {
            // the value is not echoed: this may be a key or a salt
            problems.add(path + ": must be a string, got " + typeOf(node) + "; quote the value");
            rejected.add(path);
            return Optional.empty();
        }
        String text = node.asText();
        return text.isBlank() ? Optional.empty() : Optional.of(new Setting(path, text));
    }

    /**
     * One line for a YAML syntax error. SnakeYAML's own message quotes the offending line, which may hold a key, so
     * only the problem and its position are kept.
     */
    private static String invalidYaml(IOException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String context = marked.getContext() == null || marked.getContextMark() == null ? ""
                    : " (" + marked.getContext() + " started at " + position(marked.getContextMark()) + ")";
            return "invalid YAML at " + position(marked.getProblemMark()) + ": " + marked.getProblem() + context;
        }
        if (e instanceof JacksonException jackson && jackson.getLocation() != null) {
            JsonLocation at = jackson.getLocation();
            String reason = jackson.getOriginalMessage();
            if (reason != null && reason.startsWith("Duplicate field ")) {
                reason = "duplicate key " + reason.substring("Duplicate field ".length());
            }
            return "invalid YAML at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + reason;
        }
        return "invalid YAML: " + e.getClass().getSimpleName();
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "a mapping";
            case ARRAY -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case NULL -> "nothing";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static Map<String, YamlValue> byPath(List<ConfigKey<?>> keys) {
        return keys.stream().collect(Collectors.toUnmodifiableMap(ConfigKey::path, ConfigKey::yaml));
    }

    private static Set<String> sections() {
        Set<String> sections = new HashSet<>();
        Stream.concat(LEAVES.keySet().stream(), TREES.stream()).forEach(path -> {
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                sections.add(path.substring(0, dot));
            }
        });
        return Set.copyOf(sections);
    }
}
