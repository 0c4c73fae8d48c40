package dev.cursorexporter.config;

import dev.cursorexporter.model.Budgets;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code budgets: {default: 1000, teams: {Platform: 5000}}}; every problem is one line naming the key. */
final class BudgetsParser {
    private BudgetsParser() {
    }

    static Budgets parse(Optional<JsonNode> tree, List<String> problems) {
        if (tree.isEmpty()) {
            return Budgets.NONE;
        }
        JsonNode root = tree.get();
        if (!root.isObject()) {
            problems.add("budgets: must be a mapping with default and teams, got " + YamlSettings.typeOf(root));
            return Budgets.NONE;
        }
        Optional<BigDecimal> defaultBudget = Optional.empty();
        Map<String, BigDecimal> teams = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = "budgets." + field.getKey();
            JsonNode node = field.getValue();
            switch (field.getKey()) {
                case "default" -> defaultBudget = node.isNull() ? Optional.empty() : amount(key, node, problems);
                case "teams" -> teams(node, teams, problems);
                default -> problems.add("unknown key '" + key + "'");
            }
        }
        return new Budgets(defaultBudget, teams);
    }

    private static void teams(JsonNode node, Map<String, BigDecimal> teams, List<String> problems) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            problems.add("budgets.teams: must be a mapping of team to USD, got " + YamlSettings.typeOf(node));
            return;
        }
        for (Map.Entry<String, JsonNode> team : node.properties()) {
            String name = team.getKey().trim();
            String key = "budgets.teams." + team.getKey();
            if (name.isEmpty()) {
                problems.add("budgets.teams: team names must not be blank");
                continue;
            }
            amount(key, team.getValue(), problems).ifPresent(usd -> teams.put(name, usd));
        }
    }

    private static Optional<BigDecimal> amount(String key, JsonNode node, List<String> problems) {
        if (node.isNumber() && node.decimalValue().signum() >= 0) {
            return Optional.of(new BigDecimal(node.decimalValue().stripTrailingZeros().toPlainString()));
        }
        String shown = node.isValueNode() ? Redaction.quote(node.asText()) : YamlSettings.typeOf(node);
        problems.add(key + ": must be a number of USD (0 or more), got " + shown);
        return Optional.empty();
    }
}
