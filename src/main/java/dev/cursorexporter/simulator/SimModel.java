package dev.cursorexporter.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A model id as Cursor bills it, with a popularity weight and list prices in US dollars per million tokens.
 * Prices only need to be plausible: they turn token counts into cents with natural float noise (Q19).
 */
record SimModel(String id, double weight, double inputPerM, double outputPerM, double cacheReadPerM,
                double cacheWritePerM) {

    /** The Jan-2026 mix (REFERENCE.md Q16); {@code default} is Auto. */
    static final List<SimModel> CATALOG = List.of(
            new SimModel("default", 30, 1.25, 6, 0.25, 1.25),
            new SimModel("claude-4.5-sonnet-thinking", 18, 3, 15, 0.3, 3.75),
            new SimModel("claude-4.5-opus-high-thinking", 10, 5, 25, 0.5, 6.25),
            new SimModel("gpt-5.2", 8, 1.75, 14, 0.175, 0),
            new SimModel("gpt-5.2-codex", 8, 1.75, 14, 0.175, 0),
            new SimModel("gpt-5.2-codex-high", 2, 1.75, 14, 0.175, 0),
            new SimModel("gpt-5.1-codex-mini", 4, 0.25, 2, 0.025, 0),
            new SimModel("gpt-5.1-codex-max", 2, 1.25, 10, 0.125, 0),
            new SimModel("gemini-3-pro-preview", 6, 2, 12, 0.2, 0),
            new SimModel("gemini-3-flash-preview", 3, 0.5, 3, 0.05, 0),
            new SimModel("composer-1", 7, 1.25, 10, 0.125, 0),
            new SimModel("grok-code-fast-1", 3, 0.2, 1.5, 0.02, 0));

    private static final double TOTAL_WEIGHT = CATALOG.stream().mapToDouble(SimModel::weight).sum();

    static SimModel pick(SplittableRandom random) {
        double x = random.nextDouble() * TOTAL_WEIGHT;
        for (SimModel m : CATALOG) {
            x -= m.weight;
            if (x < 0) {
                return m;
            }
        }
        return CATALOG.get(CATALOG.size() - 1);
    }

    static SimModel byId(String id) {
        for (SimModel m : CATALOG) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model " + id);
    }

    /** Model cost in cents, computed in binary floating point on purpose (Cursor's values carry that noise). */
    double costCents(long input, long output, long cacheRead, long cacheWrite) {
        double centsPerDollarPerM = 100.0 / 1_000_000.0;
        return input * inputPerM * centsPerDollarPerM
                + output * outputPerM * centsPerDollarPerM
                + cacheRead * cacheReadPerM * centsPerDollarPerM
                + cacheWrite * cacheWritePerM * centsPerDollarPerM;
    }
}
