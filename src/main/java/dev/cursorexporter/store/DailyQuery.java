package dev.cursorexporter.store;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A per-day question for {@link DailyQueries}: UTC days {@code from}..{@code to} (inclusive), grouped by day plus
 * the chosen dimensions, restricted by the filters. Teams and locations come from the assignment the store holds
 * ({@link StoreWriter#assignGroups}): a question by or filtered on team or location ({@link #byGroup()}) reads the
 * per-group rollups, which never read per-e-mail rows; rows that sum e-mails the assignment does not cover yet come
 * with team and location both {@link DailyQueries#UNASSIGNED} (they pass every team and location filter), and the
 * caller that needs them exact asks by user instead.
 *
 * @param accounts   account names to include; empty = all accounts
 * @param byAccount  one row per account instead of summing accounts
 * @param byUser     one row per e-mail ("" = events without one)
 * @param byModel    one row per model (usage rows only; activity has no model)
 * @param byBilling  one row per billing class (usage rows only)
 * @param byActor    one row per actor (usage rows only)
 * @param byTeam     one row per team (not with {@code byUser} or {@code users}; for activity not with
 *                   {@code accounts} or {@code byAccount} either: activity groups span accounts)
 * @param byLocation one row per location (same restrictions as {@code byTeam})
 * @param summed     one row per group for the whole range, dated {@code from}, instead of one per day (for a
 *                   single bucket: SQL sums the days, and only the groups' rows reach the caller); distinct active
 *                   users then count each e-mail once over the range
 * @param users      e-mails to include (lower-cased here); empty = everyone
 * @param models     model ids to include; empty = all (usage rows only)
 * @param teams      teams to include; empty = all (same restrictions as {@code byTeam})
 * @param locations  locations to include; empty = all (same restrictions as {@code byTeam})
 */
public record DailyQuery(LocalDate from, LocalDate to, Set<String> accounts, boolean byAccount, boolean byUser,
                         boolean byModel, boolean byBilling, boolean byActor, boolean byTeam, boolean byLocation,
                         boolean summed, Set<String> users, Set<String> models, Set<String> teams, Set<String> locations) {

    public DailyQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        accounts = accounts == null ? Set.of() : Set.copyOf(accounts);
        users = users == null ? Set.of()
                : users.stream().map(u -> u.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        models = models == null ? Set.of() : Set.copyOf(models);
        teams = teams == null ? Set.of() : Set.copyOf(teams);
        locations = locations == null ? Set.of() : Set.copyOf(locations);
        if ((byTeam || byLocation || !teams.isEmpty() || !locations.isEmpty()) && (byUser || !users.isEmpty())) {
            throw new IllegalArgumentException("group rows have no e-mail: ask by user or by group, not both");
        }
    }

    /** All accounts, users and models summed per day. */
    public static DailyQuery days(LocalDate from, LocalDate to) {
        return new DailyQuery(from, to, Set.of(), false, false, false, false, false, false, false, false, Set.of(),
                Set.of(), Set.of(), Set.of());
    }

    /** Whether the per-group rollups answer: grouped by or filtered on team or location. */
    public boolean byGroup() {
        return byTeam || byLocation || !teams.isEmpty() || !locations.isEmpty();
    }

    public DailyQuery groupByUser() {
        return new DailyQuery(from, to, accounts, byAccount, true, byModel, byBilling, byActor, byTeam, byLocation,
                summed, users, models, teams, locations);
    }

    public DailyQuery groupByModel() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, true, byBilling, byActor, byTeam, byLocation,
                summed, users, models, teams, locations);
    }

    public DailyQuery groupByBilling() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, true, byActor, byTeam, byLocation, summed,
                users, models, teams, locations);
    }

    public DailyQuery groupByActor() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, true, byTeam, byLocation,
                summed, users, models, teams, locations);
    }

    /** One row per team of the stored assignment. */
    public DailyQuery groupByTeam() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, true, byLocation,
                summed, users, models, teams, locations);
    }

    /** One row per location of the stored assignment. */
    public DailyQuery groupByLocation() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, byTeam, true, summed,
                users, models, teams, locations);
    }

    /** One row per team and location of the stored assignment. */
    public DailyQuery groupByTeamAndLocation() {
        return groupByTeam().groupByLocation();
    }

    /** Sums the whole range into one row per group, dated {@code from}. */
    public DailyQuery summedOverRange() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, byTeam, byLocation,
                true, users, models, teams, locations);
    }

    public DailyQuery groupByAccount() {
        return new DailyQuery(from, to, accounts, true, byUser, byModel, byBilling, byActor, byTeam, byLocation, summed,
                users, models, teams, locations);
    }

    public DailyQuery withAccounts(Set<String> names) {
        return new DailyQuery(from, to, names, byAccount, byUser, byModel, byBilling, byActor, byTeam, byLocation,
                summed, users, models, teams, locations);
    }

    public DailyQuery withUsers(Set<String> emails) {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, byTeam, byLocation,
                summed, emails, models, teams, locations);
    }

    public DailyQuery withModels(Set<String> ids) {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, byTeam, byLocation,
                summed, users, ids, teams, locations);
    }

    /** Only the groups of these teams (of the stored assignment). */
    public DailyQuery withTeams(Set<String> names) {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, byTeam, byLocation,
                summed, users, models, names, locations);
    }

    /** Only the groups of these locations (of the stored assignment). */
    public DailyQuery withLocations(Set<String> names) {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byActor, byTeam, byLocation,
                summed, users, models, teams, names);
    }
}
