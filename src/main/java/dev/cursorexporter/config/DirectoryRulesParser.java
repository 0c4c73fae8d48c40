package dev.cursorexporter.config;

import dev.cursorexporter.model.DirectoryRule;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code directory.rules: [{match: "*@eu.acme.com", team: EU, location: Dublin}, {domain: acme.com, …}]};
 * every problem is one line naming the entry.
 */
final class DirectoryRulesParser {
    private static final Set<String> FIELDS = Set.of("match", "domain", "team", "location");

    private DirectoryRulesParser() {
    }

    static List<DirectoryRule> parse(Optional<JsonNode> tree, List<String> problems) {
        if (tree.isEmpty()) {
            return List.of();
        }
        JsonNode root = tree.get();
        if (!root.isArray()) {
            problems.add("directory.rules: must be a list, got " + YamlSettings.typeOf(root));
            return List.of();
        }
        List<DirectoryRule> rules = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            rule("directory.rules[" + i + "]", root.get(i), problems).ifPresent(rules::add);
        }
        return List.copyOf(rules);
    }

    private static Optional<DirectoryRule> rule(String prefix, JsonNode node, List<String> problems) {
        if (!node.isObject()) {
            problems.add(prefix + ": must be a mapping with match or domain and team or location, got "
                    + YamlSettings.typeOf(node));
            return Optional.empty();
        }
        int before = problems.size();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                problems.add("unknown key '" + prefix + "." + field.getKey() + "'");
            } else if (!field.getValue().isNull() && !field.getValue().isValueNode()) {
                problems.add(prefix + "." + field.getKey() + ": must be a single value, got "
                        + YamlSettings.typeOf(field.getValue()));
            }
        }
        Optional<String> match = text(node, "match");
        Optional<String> domain = text(node, "domain");
        Optional<String> team = text(node, "team");
        Optional<String> location = text(node, "location");
        if (match.isPresent() && domain.isPresent()) {
            problems.add(prefix + ": set match or domain, not both");
        } else if (match.isEmpty() && domain.isEmpty()) {
            problems.add(prefix + ": needs match (an e-mail glob like *@eu.acme.com) or domain");
        }
        if (team.isEmpty() && location.isEmpty()) {
            problems.add(prefix + ": needs team or location");
        }
        match.filter(m -> !m.contains("@") || m.chars().anyMatch(Character::isWhitespace))
                .ifPresent(m -> problems.add(prefix + ".match: must be an e-mail glob like *@eu.acme.com, got "
                        + Redaction.quote(m)));
        domain.filter(d -> d.contains("@") || d.chars().anyMatch(Character::isWhitespace))
                .ifPresent(d -> problems.add(prefix + ".domain: must be a domain like eu.acme.com, got "
                        + Redaction.quote(d)));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(match.isPresent() ? DirectoryRule.glob(match.get(), team, location)
                : DirectoryRule.domain(domain.orElseThrow(), team, location));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            return Optional.empty();
        }
        String text = value.asText().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
