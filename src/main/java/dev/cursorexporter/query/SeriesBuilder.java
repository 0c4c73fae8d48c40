package dev.cursorexporter.query;

import dev.cursorexporter.store.DailyActivity;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyUsageCost;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Aggregates store rows (per user, per team and location, or already summed) into the buckets and groups of one
 * {@link SeriesQuery}, then fills every bucket with a zero row for each group seen anywhere in the range, so that
 * time series have no holes. Not thread-safe.
 */
final class SeriesBuilder {
    /**
     * Thrown by the add methods for a group row of e-mails the stored assignment does not cover yet: the answer
     * must then be computed per e-mail.
     */
    static final class Unassigned extends RuntimeException {
        Unassigned() {
            super("group rows of e-mails without a stored assignment", null, false, false);
        }
    }

    private static final java.util.Comparator<List<String>> GROUP_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private final SeriesQuery query;
    private final Identities identities;
    private final List<Condition.Matcher>[] matchers;
    private final Map<LocalDate, Map<List<String>, Sums>> buckets = new HashMap<>();
    private final Set<List<String>> groups = new TreeSet<>(GROUP_ORDER);
    private final long maxRows;
    private final long bucketCount;
    /**
     * E-mails held in the buckets' active-user sets beyond the first of each: a year of 1-day buckets of a large
     * team holds millions even when the answer is one row a day. Six such entries weigh about one answer row.
     */
    private long activeEntries;
    private static final int ACTIVE_ENTRIES_PER_ROW = 6;
    private static final int ACTIVE_CHECK_EVERY = 1024;

    /**
     * @param maxRows most rows the answer may have (buckets x groups); exceeding it throws {@link AnswerTooLarge}
     *                as soon as a new group proves it, so the partial sums never grow much past the limit either
     */
    @SuppressWarnings("unchecked")
    SeriesBuilder(SeriesQuery query, Identities identities, long maxRows) {
        this.query = query;
        this.identities = identities;
        this.maxRows = maxRows;
        this.bucketCount = (query.days() + query.bucketDays() - 1) / query.bucketDays();
        this.matchers = new List[Dimension.values().length];
        for (Dimension d : Dimension.values()) {
            matchers[d.ordinal()] = new ArrayList<>();
        }
        for (Condition c : query.conditions()) {
            matchers[c.dimension().ordinal()].add(c.matcher());
        }
        if (query.by().isEmpty()) {
            groups.add(List.of());
            checkSize();
        }
    }

    /** A row of one e-mail, or summed over every e-mail: teams and locations come from the directory. */
    void addUsage(DailyUsageCost row) {
        addUsage(row, identities.subject(row.email(), row.model(), row.billing(), row.actor()), false);
    }

    /**
     * A row of the per-group rollups: team and location of the stored assignment, null where the store neither
     * grouped by them nor left a condition on them to apply here (it applied them itself).
     *
     * @throws Unassigned for a row that sums e-mails the stored assignment does not cover yet
     */
    void addGroupUsage(DailyUsageCost row) {
        addUsage(row, groupSubject(row.team(), row.location(), row.model(), row.billing(), row.actor()), true);
    }

    private void addUsage(DailyUsageCost row, String[] subject, boolean group) {
        if (accepts(subject, true, group)) {
            Sums s = sums(row.day(), subject);
            s.cost = s.cost.add(row.costCents());
            s.requests += row.requests();
            s.input += row.inputTokens();
            s.output += row.outputTokens();
            s.cacheRead += row.cacheReadTokens();
            s.cacheWrite += row.cacheWriteTokens();
        }
    }

    /**
     * @param row one e-mail's day, or (only for 1-day buckets: distinct users do not add up over days) the whole
     *            day's, its active users distinct from those of every other row of the day
     */
    void addActivity(DailyActivity row) {
        addActivity(row, identities.subject(row.email(), null, null, null), false);
    }

    /** A group's day (1-day buckets only), as {@link #addGroupUsage}. */
    void addGroupActivity(DailyActivity row) {
        addActivity(row, groupSubject(row.team(), row.location(), null, null, null), true);
    }

    private void addActivity(DailyActivity row, String[] subject, boolean group) {
        if (accepts(subject, false, group)) {
            Sums s = sums(row.day(), subject);
            if (row.email() == null) {
                s.activeCount += row.activeUsers();
            } else if (row.activeUsers() > 0) {
                if (s.addActive(row.email()) && ++activeEntries % ACTIVE_CHECK_EVERY == 0) {
                    checkSize();
                }
            }
            s.lines += row.linesAdded();
            s.aiLines += row.acceptedLinesAdded();
            s.tabsShown += row.tabsShown();
            s.tabsAccepted += row.tabsAccepted();
            s.chat += row.chatRequests();
            s.composer += row.composerRequests();
            s.agent += row.agentRequests();
            s.cmdk += row.cmdkUsages();
            s.bugbot += row.bugbotUsages();
        }
    }

    /** The answer; call once, as the sums are released while it is built. */
    List<SeriesRow> rows() {
        List<SeriesRow> out = new ArrayList<>();
        for (LocalDate start = query.from(); !start.isAfter(query.to()); start = start.plusDays(query.bucketDays())) {
            Map<List<String>, Sums> bucket = buckets.remove(start); // done with: let it go while rows grow
            if (bucket == null) {
                bucket = Map.of();
            }
            for (List<String> group : groups) {
                Sums s = bucket.getOrDefault(group, Sums.ZERO);
                SeriesRow.Activity activity = query.activity() ? new SeriesRow.Activity(s.activeUsers(), s.lines,
                        s.aiLines, s.tabsShown, s.tabsAccepted, s.chat, s.composer, s.agent, s.cmdk, s.bugbot) : null;
                out.add(new SeriesRow(start, group, s.cost, s.requests, s.input, s.output, s.cacheRead,
                        s.cacheWrite, activity));
            }
        }
        return List.copyOf(out);
    }

    private static String[] groupSubject(String team, String location, String model, String billing,
                                         String actor) {
        if (DailyQueries.UNASSIGNED.equals(team) && DailyQueries.UNASSIGNED.equals(location)) {
            throw new Unassigned();
        }
        return new String[] {null, team, location, model, billing, actor};
    }

    /**
     * Model, billing and actor conditions do not restrict activity, which has none; a group row's missing team or
     * location passes (the store applied those conditions).
     */
    private boolean accepts(String[] subject, boolean usage, boolean group) {
        for (Dimension d : Dimension.values()) {
            if (d.usageOnly() && !usage) {
                continue;
            }
            String value = subject[d.ordinal()];
            if (value == null && group && (d == Dimension.TEAM || d == Dimension.LOCATION)) {
                continue;
            }
            for (Condition.Matcher m : matchers[d.ordinal()]) {
                if (value == null || !m.test(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Sums sums(LocalDate day, String[] subject) {
        long offset = ChronoUnit.DAYS.between(query.from(), day);
        LocalDate start = query.from().plusDays(offset - Math.floorMod(offset, query.bucketDays()));
        List<String> group = Arrays.asList(new String[query.by().size()]);
        for (int i = 0; i < query.by().size(); i++) {
            group.set(i, subject[query.by().get(i).ordinal()]);
        }
        List<String> key = List.copyOf(group);
        if (groups.add(key)) {
            checkSize();
        }
        return buckets.computeIfAbsent(start, d -> new HashMap<>()).computeIfAbsent(key, k -> new Sums());
    }

    private void checkSize() {
        long rows = groups.size() * bucketCount;
        if (rows > maxRows) {
            throw new AnswerTooLarge(String.format(Locale.ROOT, "the answer would have more than %,d rows (%,d %s x "
                            + "at least %,d %s); narrow the range, filter, group by fewer dimensions or use longer "
                            + "buckets", maxRows, bucketCount, query.bucketDays() == 1 ? "days"
                            : query.bucketDays() + "-day buckets", groups.size(),
                    groups.size() == 1 ? "group" : "groups"));
        }
        if (rows + activeEntries / ACTIVE_ENTRIES_PER_ROW > maxRows) {
            throw new AnswerTooLarge(String.format(Locale.ROOT, "the answer would hold more than %,d rows' worth of "
                    + "data (counting distinct active users takes at least %,d member-buckets); narrow the range, "
                    + "filter or use longer buckets", maxRows, activeEntries));
        }
    }

    private static final class Sums {
        static final Sums ZERO = new Sums();

        BigDecimal cost = BigDecimal.ZERO;
        long requests;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        /**
         * E-mails active in the bucket: the first in a field (per user, there is only one), any further ones in
         * a set created for them.
         */
        private String firstActive;
        private Set<String> moreActive;
        /** Active users of rows that are not one e-mail's (groups, days), each distinct from every other row's. */
        long activeCount;
        long lines;
        long aiLines;
        long tabsShown;
        long tabsAccepted;
        long chat;
        long composer;
        long agent;
        long cmdk;
        long bugbot;

        long activeUsers() {
            return activeCount + (firstActive == null ? 0 : 1) + (moreActive == null ? 0 : moreActive.size());
        }

        /** @return whether a set entry was added (the first e-mail takes none) */
        boolean addActive(String email) {
            if (firstActive == null) {
                firstActive = email;
                return false;
            }
            if (firstActive.equals(email)) {
                return false;
            }
            if (moreActive == null) {
                moreActive = new HashSet<>();
            }
            return moreActive.add(email);
        }
    }
}
