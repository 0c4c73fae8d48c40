package dev.cursorexporter.store;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A per-day question for {@link DailyQueries}: UTC days {@code from}..{@code to} (inclusive), grouped by day plus
 * the chosen dimensions, restricted by the filters. Teams and locations come from the assignment the store holds
 * ({@link StoreWriter#assignGroups}): {@code byGroup} asks the per-group rollups, which never read per-e-mail rows;
 * rows of e-mails the assignment does not cover yet come as team and location {@link DailyQueries#UNASSIGNED},
 * and the caller that needs them exact asks by user instead.
 *
 * @param accounts account names to include; empty = all accounts
 * @param byAccount one row per account instead of summing accounts
 * @param byUser    one row per e-mail ("" = events without one)
 * @param byModel   one row per model (usage rows only; activity has no model)
 * @param byBilling one row per billing class (usage rows only)
 * @param byGroup   one row per team and location (not with {@code byUser} or {@code users}; for activity not with
 *                  {@code accounts} or {@code byAccount} either: activity groups span accounts)
 * @param summed    one row per group for the whole range, dated {@code from}, instead of one per day (for a
 *                  single bucket: SQL sums the days, and only the groups' rows reach the caller); distinct active
 *                  users then count each e-mail once over the range
 * @param users     e-mails to include (lower-cased here); empty = everyone
 * @param models    model ids to include; empty = all (usage rows only)
 */
public record DailyQuery(LocalDate from, LocalDate to, Set<String> accounts, boolean byAccount, boolean byUser,
                         boolean byModel, boolean byBilling, boolean byGroup, boolean summed, Set<String> users,
                         Set<String> models) {

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
        if (byGroup && (byUser || !users.isEmpty())) {
            throw new IllegalArgumentException("group rows have no e-mail: ask by user or by group, not both");
        }
    }

    /** All accounts, users and models summed per day. */
    public static DailyQuery days(LocalDate from, LocalDate to) {
        return new DailyQuery(from, to, Set.of(), false, false, false, false, false, false, Set.of(), Set.of());
    }

    public DailyQuery groupByUser() {
        return new DailyQuery(from, to, accounts, byAccount, true, byModel,
                byBilling, byGroup, summed, users, models);
    }

    public DailyQuery groupByModel() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, true, byBilling, byGroup, summed, users, models);
    }

    public DailyQuery groupByBilling() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, true, byGroup, summed, users, models);
    }

    /** One row per team and location of the stored assignment. */
    public DailyQuery groupByTeamAndLocation() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, true, summed, users, models);
    }

    /** Sums the whole range into one row per group, dated {@code from}. */
    public DailyQuery summedOverRange() {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel,
                byBilling, byGroup, true, users, models);
    }

    public DailyQuery groupByAccount() {
        return new DailyQuery(from, to, accounts, true, byUser, byModel, byBilling, byGroup, summed, users, models);
    }

    public DailyQuery withAccounts(Set<String> names) {
        return new DailyQuery(from, to, names, byAccount, byUser, byModel, byBilling, byGroup, summed, users, models);
    }

    public DailyQuery withUsers(Set<String> emails) {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel,
                byBilling, byGroup, summed, emails, models);
    }

    public DailyQuery withModels(Set<String> ids) {
        return new DailyQuery(from, to, accounts, byAccount, byUser, byModel, byBilling, byGroup, summed, users, ids);
    }
}
