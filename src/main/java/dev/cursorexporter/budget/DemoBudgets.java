package dev.cursorexporter.budget;

import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Budgets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Budgets for the demo organisation, derived from its spend at start so that the budget alerts have something
 * to show: the team that spent most is at about 95% of its budget (the 80% alert fires, and the 100% one once
 * the simulated usage has grown another 5%), every other team at about half of its own.
 */
public final class DemoBudgets {
    static final BigDecimal NEAR = new BigDecimal("0.95");
    static final BigDecimal COMFORTABLE = new BigDecimal("0.5");

    private DemoBudgets() {
    }

    /** @param cycleSpendCentsByTeam the simulated organisation's cycle spend per directory team, in cents */
    public static Budgets of(Map<String, BigDecimal> cycleSpendCentsByTeam) {
        Optional<String> top = cycleSpendCentsByTeam.entrySet().stream()
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        Map<String, BigDecimal> teams = new HashMap<>();
        cycleSpendCentsByTeam.forEach((team, cents) -> {
            BigDecimal share = top.filter(team::equals).isPresent() ? NEAR : COMFORTABLE;
            BigDecimal usd = Money.usd(cents).divide(share, 0, RoundingMode.CEILING).max(BigDecimal.ONE);
            teams.put(team, usd);
        });
        return new Budgets(Optional.empty(), teams);
    }
}
