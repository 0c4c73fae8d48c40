package dev.cursorexporter.metrics;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One snapshot while the metric groups fill it: the families they add, and the label rules every series follows,
 * which live here and nowhere else: {@code account} first when there are several accounts, then {@code user}
 * unless the user-label mode is {@code none}, then {@code team} and {@code location} from the directory as it was
 * when this build started. One per build, used by one thread.
 */
final class SnapshotDraft {
    /** Added after the groups' families: it counts what their values could not show. */
    static final String DROPPED_SERIES = "cursor_exporter_dropped_series";
    private static final String DROPPED_SERIES_HELP = "Series left out of the last snapshot because their stored "
            + "value cannot be exposed (negative counter, not a finite number); only a store written before the "
            + "boundary checks holds such values.";

    private final List<String> accounts;
    private final Directory directory;
    private final UserLabeler userLabeler;
    private final boolean withAccount;
    private final boolean withUser;
    private final List<FamilyBuilder> families = new ArrayList<>();

    SnapshotDraft(List<String> accounts, Directory directory, UserLabeler userLabeler) {
        this.accounts = List.copyOf(accounts);
        this.directory = directory;
        this.userLabeler = userLabeler;
        this.withAccount = accounts.size() > 1;
        this.withUser = userLabeler.mode() != UserLabelMode.NONE;
    }

    /** The configured accounts, in configuration order. */
    List<String> accounts() {
        return accounts;
    }

    /** The directory of this build (read once, so a reload mid-build cannot split a snapshot). */
    Directory directory() {
        return directory;
    }

    FamilyBuilder counter(String name, String help, List<String> labelNames) {
        return add(new FamilyBuilder(name, MetricFamily.Type.COUNTER, help, labelNames));
    }

    FamilyBuilder gauge(String name, String help, List<String> labelNames) {
        return add(new FamilyBuilder(name, MetricFamily.Type.GAUGE, help, labelNames));
    }

    private FamilyBuilder add(FamilyBuilder family) {
        families.add(family);
        return family;
    }

    /** Label names of a series about an account as a whole: {@code account} (several accounts), then {@code rest}. */
    List<String> accountLabels(String... rest) {
        List<String> names = new ArrayList<>();
        if (withAccount) {
            names.add("account");
        }
        names.addAll(Arrays.asList(rest));
        return names;
    }

    /** Label names of a per-member series: account, user (unless mode none), team, location, then {@code rest}. */
    List<String> userLabels(String... rest) {
        List<String> names = accountLabels();
        if (withUser) {
            names.add("user");
        }
        names.add("team");
        names.add("location");
        names.addAll(Arrays.asList(rest));
        return names;
    }

    /** Label names of a series per team and location: account, team, location, then {@code rest}. */
    List<String> groupLabels(String... rest) {
        return accountLabels(with(List.of("team", "location"), rest).toArray(String[]::new));
    }

    /** The values of {@link #accountLabels} without the rest. */
    List<String> accountValues(String account) {
        return withAccount ? List.of(account) : List.of();
    }

    /**
     * The values of {@link #userLabels} without the rest, for a member's e-mail ({@code ""} or null: events of a
     * removed member, user {@code unknown}).
     */
    List<String> userValues(String account, String email) {
        List<String> values = new ArrayList<>(accountValues(account));
        if (withUser) {
            values.add(userLabeler.label(email).orElseThrow());
        }
        Assignment a = directory.lookup(email);
        values.add(a.team());
        values.add(a.location());
        return values;
    }

    /** The values of {@link #groupLabels} without the rest. */
    List<String> groupValues(String account, Assignment a) {
        List<String> values = new ArrayList<>(accountValues(account));
        values.add(a.team());
        values.add(a.location());
        return values;
    }

    /** {@code base} followed by {@code extra}, as a new list. */
    static List<String> with(List<String> base, String... extra) {
        List<String> out = new ArrayList<>(base.size() + extra.length);
        out.addAll(base);
        out.addAll(Arrays.asList(extra));
        return out;
    }

    /** How many families were added so far. */
    int size() {
        return families.size();
    }

    /** Names of the families added from position {@code from} on, in the order added. */
    List<String> namesFrom(int from) {
        return families.subList(from, families.size()).stream().map(FamilyBuilder::name).toList();
    }

    /** The families, then {@value #DROPPED_SERIES} counting per family the series no exposition could carry. */
    List<MetricFamily> build() {
        List<MetricFamily> out = new ArrayList<>(families.size() + 1);
        families.forEach(f -> out.add(f.build()));
        FamilyBuilder dropped = new FamilyBuilder(DROPPED_SERIES, MetricFamily.Type.GAUGE, DROPPED_SERIES_HELP,
                List.of("metric"));
        families.forEach(f -> {
            if (f.dropped() > 0) {
                dropped.add(List.of(f.name()), f.dropped());
            }
        });
        out.add(dropped.build());
        return out;
    }
}
