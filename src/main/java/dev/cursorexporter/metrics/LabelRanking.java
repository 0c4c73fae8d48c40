package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredMember;
import dev.cursorexporter.store.StoredSpend;
import dev.cursorexporter.store.UsageRank;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@code user} and {@code model} label values keep series of their own in one snapshot, chosen by value
 * before any family is built, so that the size of a snapshot depends on the limits and not on the organisation:
 * <ul>
 *   <li>users: label values ranked by usage cost since the counter epoch (the {@code cursor_usage_cost_usd}
 *   total, all accounts summed), ties broken by this cycle's spend, then by the label (members without usage or
 *   spend rank last); the first ones keep their label, at most {@code metrics.max_users} of them and no more than
 *   fit {@code metrics.max_series_per_metric} with their usage series, counted per model, billing class and
 *   actor (a member whose cloud agents spend too has a series per actor) (stopping at the first that does not
 *   fit, so the kept users are always the largest spenders);</li>
 *   <li>models: per account the {@code metrics.max_models} models with the largest usage cost (ties: more
 *   requests, then the name).</li>
 * </ul>
 * Every other value is shown as {@value #OTHER}: its series are summed into those of {@code user="other"} (with the
 * same team, location and other labels) or {@code model="other"}, so every total stays exact. Immutable.
 */
final class LabelRanking {
    static final String OTHER = "other";
    /** Keeps every value: for groups built in tests without limits. */
    static final LabelRanking KEEP_ALL = new LabelRanking(null, 0, null, 0);

    /** Label values that keep their series; null = all do. */
    private final Set<String> keptUsers;
    private final int foldedUsers;
    private final Set<String> keptModels;
    private final int foldedModels;

    private LabelRanking(Set<String> keptUsers, int foldedUsers, Set<String> keptModels, int foldedModels) {
        this.keptUsers = keptUsers;
        this.foldedUsers = foldedUsers;
        this.keptModels = keptModels;
        this.foldedModels = foldedModels;
    }

    /**
     * Ranks from the store: O(members + e-mails with usage) rows for users; models are read largest first and only
     * the first {@code maxModels} per account are kept in memory, the rest counted.
     */
    static LabelRanking of(StoreReader store, List<String> accounts, UserLabeler labeler, SeriesLimits limits) {
        int maxUsers = limits.users();
        int maxModels = limits.models();
        Map<String, Score> scores = new HashMap<>();
        Set<String> models = new HashSet<>();
        int foldedModels = 0;
        for (String account : accounts) {
            for (StoredMember m : store.members(account)) {
                labeler.label(m.email()).ifPresent(label -> scores.computeIfAbsent(label, Score::new));
            }
            for (UsageRank r : store.usageCostByEmail(account)) {
                labeler.label(r.key()).ifPresent(label -> scores.computeIfAbsent(label, Score::new).add(r));
            }
            for (StoredSpend s : store.currentSpend(account)) {
                labeler.label(s.email()).ifPresent(label ->
                        scores.computeIfAbsent(label, Score::new).addSpend(s.cycleSpendCents()));
            }
            int[] seen = {0};
            store.usageCostByModel(account, r -> {
                if (seen[0]++ < maxModels) {
                    models.add(r.key());
                }
            });
            foldedModels += Math.max(0, seen[0] - maxModels);
        }
        Set<String> keptUsers = keptUsers(scores, maxUsers, limits.perMetric());
        return new LabelRanking(keptUsers, keptUsers == null ? 0 : scores.size() - keptUsers.size(),
                foldedModels == 0 ? null : models, foldedModels);
    }

    /**
     * The largest spenders, in rank order, while there are at most {@code maxUsers} of them and their usage series
     * fit a tenth under the cap (the tenth is left for the {@code other} series); null when everyone fits.
     */
    private static Set<String> keptUsers(Map<String, Score> scores, int maxUsers, int perMetric) {
        long budget = perMetric - perMetric / 10;
        long requestSeries = 0;
        long tokenSeries = 0;
        Set<String> kept = new HashSet<>();
        for (Score s : scores.values().stream().sorted(Score.LARGEST_FIRST).toList()) {
            requestSeries += s.keys;
            tokenSeries += 4 * s.models;
            if (kept.size() == maxUsers || requestSeries > budget || tokenSeries > budget) {
                return kept;
            }
            kept.add(s.label);
        }
        return null;
    }

    /** The label value to show for a user label value: itself, or {@value #OTHER}. */
    String user(String label) {
        return keptUsers == null || keptUsers.contains(label) ? label : OTHER;
    }

    /** The label value to show for a model: itself, or {@value #OTHER}. */
    String model(String model) {
        return keptModels == null || keptModels.contains(model) ? model : OTHER;
    }

    /** User label values shown as {@value #OTHER} in this snapshot. */
    int foldedUsers() {
        return foldedUsers;
    }

    /** Models shown as {@value #OTHER} in this snapshot (summed over accounts). */
    int foldedModels() {
        return foldedModels;
    }

    /** A user's rank: usage cost, then cycle spend (both USD, summed over accounts), then the label. */
    private static final class Score {
        static final Comparator<Score> LARGEST_FIRST = Comparator.comparing((Score s) -> s.cost).reversed()
                .thenComparing(Comparator.comparing((Score s) -> s.spend).reversed())
                .thenComparing(s -> s.label);

        final String label;
        private BigDecimal cost = BigDecimal.ZERO;
        private BigDecimal spend = BigDecimal.ZERO;
        /** Usage series of this label value (upper bounds: several e-mails may share a pseudonym). */
        private long keys;
        private long models;

        Score(String label) {
            this.label = label;
        }

        void add(UsageRank usage) {
            cost = cost.add(usage.costUsd());
            keys += usage.keys();
            models += usage.models();
        }

        void addSpend(BigDecimal cents) {
            spend = spend.add(cents);
        }
    }
}
