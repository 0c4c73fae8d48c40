package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.ActivityTotals;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredMember;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.cursorexporter.metrics.SnapshotDraft.with;

/**
 * Who is on the team and what they do in the editor: members by role (members poll), distinct active members over
 * day windows, and the daily-usage counters (lines, tab completions, feature requests) summed over the stored days
 * from the counter epoch on.
 */
final class ActivityMetrics implements MetricGroup {
    static final String MEMBERS = "cursor_members";
    static final String ACTIVE_USERS = "cursor_active_users";
    static final String LINES = "cursor_lines_added";
    static final String TABS = "cursor_tab_completions";
    static final String FEATURES = "cursor_feature_requests";
    private static final List<String> NAMES = List.of(MEMBERS, ACTIVE_USERS, LINES, TABS, FEATURES);

    private static final String MEMBERS_HELP = "Current (not removed) Cursor team members; ";
    private static final String ACTIVE_USERS_HELP = "Distinct members active (isActive) in the window (1d, 7d, 28d) "
            + "ending on the newest day of daily-usage data; ";
    private static final String LINES_HELP = "Lines added in the editor: source=all (totalLinesAdded), source=ai "
            + "(acceptedLinesAdded).";
    private static final String TABS_HELP = "Tab completions by outcome (shown, accepted).";
    private static final String FEATURES_HELP = "Requests by feature (chat, composer, agent, cmdk, bugbot).";
    private static final Comparator<Assignment> BY_TEAM_AND_LOCATION =
            Comparator.comparing(Assignment::team).thenComparing(Assignment::location);

    private final StoreReader store;
    private final Clock clock;
    private final String membersFresh;
    private final String dailyFresh;

    ActivityMetrics(StoreReader store, Clock clock, Freshness freshness) {
        this.store = store;
        this.clock = clock;
        this.membersFresh = freshness.afterPoll(Source.MEMBERS) + ".";
        this.dailyFresh = freshness.afterPoll(Source.DAILY_USAGE) + ".";
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public void addTo(SnapshotDraft draft) {
        FamilyBuilder members = draft.gauge(MEMBERS, MEMBERS_HELP + membersFresh, draft.groupLabels("role"));
        FamilyBuilder activeUsers = draft.gauge(ACTIVE_USERS, ACTIVE_USERS_HELP + dailyFresh,
                draft.groupLabels("window"));
        String epochSums = " Summed over the daily-usage days stored from the counter epoch (the first backfill's first"
                + " day) on; " + dailyFresh;
        FamilyBuilder lines = draft.counter(LINES, LINES_HELP + epochSums, draft.userLabels("source"));
        FamilyBuilder tabs = draft.counter(TABS, TABS_HELP + epochSums, draft.userLabels("outcome"));
        FamilyBuilder features = draft.counter(FEATURES, FEATURES_HELP + epochSums, draft.userLabels("feature"));
        for (String account : draft.accounts()) {
            // Every team/location with a current member gets a series per window, 0 included, so panels show
            // "nobody active" rather than a gap.
            Set<Assignment> groups = new TreeSet<>(BY_TEAM_AND_LOCATION);
            for (StoredMember m : store.members(account)) {
                if (!m.removed()) {
                    Assignment a = draft.directory().lookup(m.email());
                    members.add(with(draft.groupValues(account, a), m.role()), 1);
                    groups.add(a);
                }
            }
            for (ActivityTotals a : store.activityTotals(account)) {
                List<String> user = draft.userValues(account, a.email());
                lines.add(with(user, "all"), a.linesAdded());
                lines.add(with(user, "ai"), a.acceptedLinesAdded());
                tabs.add(with(user, "shown"), a.tabsShown());
                tabs.add(with(user, "accepted"), a.tabsAccepted());
                features.add(with(user, "chat"), a.chatRequests());
                features.add(with(user, "composer"), a.composerRequests());
                features.add(with(user, "agent"), a.agentRequests());
                features.add(with(user, "cmdk"), a.cmdkUsages());
                features.add(with(user, "bugbot"), a.bugbotUsages());
            }
            addActiveUsers(draft, activeUsers, account, groups);
        }
    }

    private void addActiveUsers(SnapshotDraft draft, FamilyBuilder activeUsers, String account,
                                Set<Assignment> groups) {
        Optional<LocalDate> newest = store.newestDailyUsageDay(account);
        if (newest.isEmpty()) {
            return;
        }
        // A day after today can only be a bad row stored before the boundary checks; it must not move the windows.
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate end = newest.get().isAfter(today) ? today : newest.get();
        for (Window window : Window.values()) {
            LocalDate from = end.minusDays(window.days() - 1L);
            for (Assignment g : groups) {
                activeUsers.add(with(draft.groupValues(account, g), window.label()), 0);
            }
            for (String email : store.activeUsers(account, from, end)) {
                activeUsers.add(with(draft.groupValues(account, draft.directory().lookup(email)), window.label()), 1);
            }
        }
    }
}
