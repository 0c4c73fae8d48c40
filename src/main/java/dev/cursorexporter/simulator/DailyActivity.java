package dev.cursorexporter.simulator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One member's daily-usage row: the aggregate of that member's events of the day that happened by "now".
 *
 * @param mostUsedModel          null when the member made no request that day
 * @param applyMostUsedExtension null when nothing was applied
 * @param tabMostUsedExtension   null when no tab completion was shown
 */
record DailyActivity(
        long epochDay,
        boolean active,
        long totalLinesAdded,
        long totalLinesDeleted,
        long acceptedLinesAdded,
        long acceptedLinesDeleted,
        long totalApplies,
        long totalAccepts,
        long totalRejects,
        long totalTabsShown,
        long totalTabsAccepted,
        long composerRequests,
        long chatRequests,
        long agentRequests,
        long cmdkUsages,
        long bugbotUsages,
        long subscriptionIncludedReqs,
        long usageBasedReqs,
        long apiKeyReqs,
        String mostUsedModel,
        String applyMostUsedExtension,
        String tabMostUsedExtension) {

    /** Aggregates the given events (all of one member and day, already cut at "now"). */
    static DailyActivity of(long epochDay, List<SimEvent> events) {
        long linesAdded = 0;
        long linesDeleted = 0;
        long acceptedAdded = 0;
        long acceptedDeleted = 0;
        long applies = 0;
        long accepts = 0;
        long rejects = 0;
        long tabsShown = 0;
        long tabsAccepted = 0;
        long[] features = new long[Feature.values().length];
        long included = 0;
        long usageBased = 0;
        long apiKey = 0;
        for (SimEvent e : events) {
            SimEvent.EditorActivity a = e.activity();
            linesAdded += a.linesAdded();
            linesDeleted += a.linesDeleted();
            acceptedAdded += a.acceptedLinesAdded();
            acceptedDeleted += a.acceptedLinesDeleted();
            applies += a.applies();
            accepts += a.accepts();
            rejects += a.rejects();
            tabsShown += a.tabsShown();
            tabsAccepted += a.tabsAccepted();
            features[a.feature().ordinal()]++;
            switch (e.kind()) {
                case INCLUDED -> included++;
                case USAGE_BASED -> usageBased++;
                case BYOK -> apiKey++;
                default -> {
                    // errored and aborted requests are not counted as requests of any billing kind
                }
            }
        }
        return new DailyActivity(epochDay, !events.isEmpty(), linesAdded, linesDeleted, acceptedAdded,
                acceptedDeleted, applies, accepts, rejects, tabsShown, tabsAccepted,
                features[Feature.COMPOSER.ordinal()], features[Feature.CHAT.ordinal()],
                features[Feature.AGENT.ordinal()], features[Feature.CMDK.ordinal()],
                features[Feature.BUGBOT.ordinal()], included, usageBased, apiKey,
                mostCommon(events, e -> true, SimEvent::model),
                mostCommon(events, e -> e.activity().applies() > 0, e -> e.activity().extension()),
                mostCommon(events, e -> e.activity().tabsShown() > 0, e -> e.activity().extension()));
    }

    long featureRequests(Feature feature) {
        return switch (feature) {
            case CHAT -> chatRequests;
            case COMPOSER -> composerRequests;
            case AGENT -> agentRequests;
            case CMDK -> cmdkUsages;
            case BUGBOT -> bugbotUsages;
        };
    }

    /** Most frequent value; ties go to the alphabetically first so the answer is deterministic. */
    private static String mostCommon(List<SimEvent> events, Predicate<SimEvent> filter,
                                     Function<SimEvent, String> value) {
        Map<String, Integer> counts = new TreeMap<>();
        for (SimEvent e : events) {
            if (filter.test(e)) {
                counts.merge(value.apply(e), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }
}
