package dev.cursorexporter.directory;

import dev.cursorexporter.model.DirectoryRule;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Team and location by precedence, each field on its own: the CSV file's row, then the first YAML rule that
 * matches the e-mail and sets that field, then (team only) the member's Cursor billing group, then the defaults
 * {@code unassigned} / {@code unknown}. Immutable; a reload builds a new one.
 */
public final class LayeredDirectory implements Directory {
    /** The billing-group layer when {@code directory.team_source} is not {@code billing_groups}. */
    public static final Function<String, Optional<String>> NO_BILLING_GROUPS = email -> Optional.empty();

    private final Optional<CsvDirectory> csv;
    private final List<DirectoryRule> rules;
    private final Function<String, Optional<String>> billingGroupTeam;

    /**
     * @param billingGroupTeam lower-cased e-mail → name of the member's billing group. This is the slot for
     *                         {@code directory.team_source: billing_groups}: App wires it to the store's billing
     *                         groups; it must be cheap and thread-safe (it is called for every series on a
     *                         snapshot build)
     */
    public LayeredDirectory(Optional<CsvDirectory> csv, List<DirectoryRule> rules,
                            Function<String, Optional<String>> billingGroupTeam) {
        this.csv = csv;
        this.rules = List.copyOf(rules);
        this.billingGroupTeam = billingGroupTeam;
    }

    @Override
    public Assignment lookup(String email) {
        String normalized = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (normalized.isEmpty()) {
            return Assignment.DEFAULT; // removed members' events carry no e-mail
        }
        String team = csv.flatMap(c -> c.team(normalized))
                .or(() -> firstRule(normalized, DirectoryRule::team))
                .or(() -> billingGroupTeam.apply(normalized).filter(t -> !t.isBlank()))
                .orElse(Assignment.DEFAULT_TEAM);
        String location = csv.flatMap(c -> c.location(normalized))
                .or(() -> firstRule(normalized, DirectoryRule::location))
                .orElse(Assignment.DEFAULT_LOCATION);
        return new Assignment(team, location);
    }

    private Optional<String> firstRule(String normalized, Function<DirectoryRule, Optional<String>> field) {
        for (DirectoryRule rule : rules) {
            Optional<String> value = field.apply(rule);
            if (value.isPresent() && rule.matches(normalized)) {
                return value;
            }
        }
        return Optional.empty();
    }
}
