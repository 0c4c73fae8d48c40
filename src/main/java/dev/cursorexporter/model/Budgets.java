package dev.cursorexporter.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Team budgets in USD per billing cycle ({@code budgets:} in the YAML file).
 *
 * @param defaultBudget applies to every team that has members but is not listed; empty = such teams have no budget
 * @param teams         budget per team label value, exactly as the {@code team} label shows it
 */
public record Budgets(Optional<BigDecimal> defaultBudget, Map<String, BigDecimal> teams) {
    public static final Budgets NONE = new Budgets(Optional.empty(), Map.of());

    public Budgets {
        teams = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(teams));
    }

    /** The budget of {@code team}: its own, else the default, else none. */
    public Optional<BigDecimal> budgetFor(String team) {
        BigDecimal own = teams.get(team);
        return own != null ? Optional.of(own) : defaultBudget;
    }

    public boolean isEmpty() {
        return defaultBudget.isEmpty() && teams.isEmpty();
    }
}
