package dev.cursorexporter.budget;

import dev.cursorexporter.model.Budgets;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DemoBudgetsTest {
    @Test
    void theTopSpenderIsAt95PercentAndTheOthersAtHalf() {
        Budgets b = DemoBudgets.of(Map.of("Platform", new BigDecimal("28500"), "Data", new BigDecimal("10000"),
                "Idle", BigDecimal.ZERO));
        assertEquals(Map.of("Platform", new BigDecimal("300"), "Data", new BigDecimal("200"), "Idle", BigDecimal.ONE),
                b.teams());
        assertEquals(Optional.empty(), b.defaultBudget());
    }
}
