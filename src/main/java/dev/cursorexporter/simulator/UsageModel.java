package dev.cursorexporter.simulator;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The organisation's usage as of "now": which events exist, which are visible yet, and what they add up to.
 * Days are generated on first use and kept in a bounded cache, so huge organisations never sit fully in memory.
 * Both the HTTP endpoints and {@link TotalsCalculator} read usage through this class; neither reads the other.
 */
final class UsageModel {
    /** Newest first; ties in time keep member then generation order, so pages are stable. */
    static final Comparator<SimEvent> NEWEST_FIRST = Comparator.comparingLong(SimEvent::timestamp).reversed()
            .thenComparingInt(SimEvent::memberIndex)
            .thenComparingInt(SimEvent::seq);
    private static final long CACHED_EVENTS = 4_000_000;

    private final Organisation org;
    private final ActivityGenerator generator;
    private final Clock clock;
    private final Instant frozenNow;
    private final int retentionDays;
    private final LoadingCache<Long, DayEvents> days;
    private final Restatement restatement;
    /** Restated days by (day, level, corrections); few and small, rebuilt when either changes. */
    private final LoadingCache<List<Long>, DayEvents> restated;

    /** All events of one UTC day: merged newest first, and per member (indexed like the members, oldest first). */
    record DayEvents(List<SimEvent> newestFirst, List<List<SimEvent>> byMember) {
    }

    /** A member's exact cycle spend in cents, before any rounding a profile applies. */
    record ExactSpend(BigDecimal overallCents, BigDecimal onDemandCents) {
    }

    UsageModel(Organisation org, ActivityGenerator generator, Clock clock, boolean live, int retentionDays) {
        this(org, generator, clock, live, retentionDays, new Restatement(0, java.util.Optional.empty(), clock));
    }

    UsageModel(Organisation org, ActivityGenerator generator, Clock clock, boolean live, int retentionDays,
               Restatement restatement) {
        this.org = org;
        this.restatement = restatement;
        this.restated = Caffeine.newBuilder().maximumSize(64)
                .build(key -> restate(baseDay(key.get(0)), key.get(1).intValue(), key.get(2).intValue()));
        this.generator = generator;
        this.clock = clock;
        this.frozenNow = live ? null : clock.instant();
        this.retentionDays = retentionDays;
        this.days = Caffeine.newBuilder()
                .maximumWeight(CACHED_EVENTS)
                .<Long, DayEvents>weigher((day, events) -> 1 + events.newestFirst().size())
                .build(this::generateDay);
    }

    Organisation org() {
        return org;
    }

    Instant now() {
        return frozenNow != null ? frozenNow : clock.instant();
    }

    static long dayOf(long epochMs) {
        return Math.floorDiv(epochMs, ActivityGenerator.DAY_MS);
    }

    static long dayStartMs(long epochDay) {
        return epochDay * ActivityGenerator.DAY_MS;
    }

    /** First UTC day whose usage is still served: the history start, or later under a retention limit. */
    long firstServedDay(long nowMs) {
        long first = org.historyStartDay();
        if (retentionDays > 0) {
            first = Math.max(first, dayOf(nowMs) - retentionDays + 1);
        }
        return first;
    }

    DayEvents day(long epochDay) {
        int level = restatement.level();
        int corrections = restatement.corrections();
        if ((level > 0 || corrections > 0) && restatement.restates(epochDay, dayOf(now().toEpochMilli()))) {
            return restated.get(List.of(epochDay, (long) level, (long) corrections));
        }
        return days.get(epochDay);
    }

    private DayEvents baseDay(long epochDay) {
        return days.get(epochDay);
    }

    /**
     * Corrects each member's first {@code corrections} charged events of the day (alternately re-classified as not
     * charged and restated at half the cost), then adds {@code level} copies of their first events next to the
     * originals.
     */
    private static DayEvents restate(DayEvents base, int level, int corrections) {
        List<List<SimEvent>> byMember = new ArrayList<>(base.byMember().size());
        List<SimEvent> all = new ArrayList<>();
        for (List<SimEvent> original : base.byMember()) {
            List<SimEvent> events = new ArrayList<>(original);
            int corrected = 0;
            for (int i = 0; i < events.size() && corrected < corrections; i++) {
                if (events.get(i).kind().charged()) {
                    events.set(i, events.get(i).corrected(corrected % 2 == 0));
                    corrected++;
                }
            }
            List<SimEvent> out = new ArrayList<>(events);
            for (int i = 0; i < level && !events.isEmpty(); i++) {
                SimEvent late = events.get(i % events.size());
                out.add(out.indexOf(late), late);
            }
            byMember.add(List.copyOf(out));
            all.addAll(out);
        }
        all.sort(NEWEST_FIRST);
        return new DayEvents(List.copyOf(all), List.copyOf(byMember));
    }

    private DayEvents generateDay(long epochDay) {
        List<List<SimEvent>> byMember = new ArrayList<>(org.members().size());
        List<SimEvent> all = new ArrayList<>();
        for (SimMember m : org.members()) {
            List<SimEvent> events = generator.events(m, epochDay);
            byMember.add(events);
            all.addAll(events);
        }
        all.sort(NEWEST_FIRST);
        return new DayEvents(List.copyOf(all), List.copyOf(byMember));
    }

    /** The member's events of that day that are served as of {@code nowMs} (happened, and not past retention). */
    List<SimEvent> visibleEvents(SimMember member, long epochDay, long nowMs) {
        if (epochDay < firstServedDay(nowMs) || epochDay > dayOf(nowMs)) {
            return List.of();
        }
        return upTo(day(epochDay).byMember().get(member.index()), nowMs);
    }

    /**
     * The member's daily-usage row: the editor activity of their events, except those a service account made
     * without their e-mail, which Cursor does not count as the member's (nor as their spend, below).
     */
    DailyActivity daily(SimMember member, long epochDay, long nowMs) {
        return DailyActivity.of(epochDay, visibleEvents(member, epochDay, nowMs).stream()
                .filter(e -> !e.caller().withoutEmail()).toList());
    }

    /** Σ charged cents of each member's events from the cycle start to now (retention does not apply to spend). */
    List<ExactSpend> cycleSpend(long cycleStartMs, long nowMs) {
        int n = org.members().size();
        BigDecimal[] overall = new BigDecimal[n];
        BigDecimal[] onDemand = new BigDecimal[n];
        Arrays.fill(overall, BigDecimal.ZERO);
        Arrays.fill(onDemand, BigDecimal.ZERO);
        long from = Math.max(dayOf(cycleStartMs), org.historyStartDay());
        for (long d = from; d <= dayOf(nowMs); d++) {
            List<List<SimEvent>> byMember = day(d).byMember();
            for (int i = 0; i < n; i++) {
                for (SimEvent e : byMember.get(i)) {
                    if (e.timestamp() >= cycleStartMs && e.timestamp() <= nowMs && !e.caller().withoutEmail()) {
                        overall[i] = overall[i].add(e.chargedCents());
                        if (e.kind() == EventKind.USAGE_BASED) {
                            onDemand[i] = onDemand[i].add(e.chargedCents());
                        }
                    }
                }
            }
        }
        List<ExactSpend> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(new ExactSpend(overall[i], onDemand[i]));
        }
        return result;
    }

    private static List<SimEvent> upTo(List<SimEvent> oldestFirst, long nowMs) {
        int end = oldestFirst.size();
        while (end > 0 && oldestFirst.get(end - 1).timestamp() > nowMs) {
            end--;
        }
        return end == oldestFirst.size() ? oldestFirst : oldestFirst.subList(0, end);
    }
}
