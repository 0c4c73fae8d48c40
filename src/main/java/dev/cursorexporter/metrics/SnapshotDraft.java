package dev.cursorexporter.metrics;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One snapshot while the metric groups fill it: the families they add, and the label rules every series follows,
 * which live here and nowhere else: {@code account} first when there are several accounts, then {@code user}
 * unless the user-label mode is {@code none} (a user outside the {@link LabelRanking} shown as {@code other}), then
 * {@code team} and {@code location} from the directory as it was when this build started. One per build, used by
 * one thread.
 */
final class SnapshotDraft {
    /** Added after the groups' families: it counts what their values could not show. */
    static final String DROPPED_SERIES = "cursor_exporter_dropped_series";
    /** Added after the groups' families: 1 for a family that reached the cap while being built. */
    static final String CAPPED_SERIES = "cursor_exporter_series_capped";
    /** Added after the groups' families: how many user and model label values {@link LabelRanking} folded. */
    static final String FOLDED_VALUES = "cursor_exporter_folded_label_values";
    private static final String CAPPED_SERIES_HELP = "1 when the metric reached metrics.max_series_per_metric while "
            + "the snapshot was built, so that its further series were summed into series with user and model "
            + "\"other\" (or with every label \"other\"); totals stay exact. Else 0.";
    private static final String FOLDED_VALUES_HELP = "User label values (label=\"user\") beyond metrics.max_users "
            + "and models (label=\"model\") beyond metrics.max_models per account, ranked by usage cost, whose "
            + "series are summed into user=\"other\" or model=\"other\" in this snapshot.";
    private static final String DROPPED_SERIES_HELP = "Series left out of the last snapshot because their stored "
            + "value cannot be exposed (negative counter, not a finite number); only a store written before the "
            + "boundary checks holds such values.";

    private final List<String> accounts;
    private final Directory directory;
    private final UserLabeler userLabeler;
    private final boolean withAccount;
    private final boolean withUser;
    private final LabelRanking ranking;
    private final int maxSeriesPerMetric;
    private final List<FamilyBuilder> families = new ArrayList<>();
    private final Map<String, String> labelValuePool = new HashMap<>();

    SnapshotDraft(List<String> accounts, Directory directory, UserLabeler userLabeler, LabelRanking ranking,
                  int maxSeriesPerMetric) {
        this.accounts = List.copyOf(accounts);
        this.directory = directory;
        this.userLabeler = userLabeler;
        this.ranking = ranking;
        this.maxSeriesPerMetric = maxSeriesPerMetric;
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
        return add(new FamilyBuilder(name, MetricFamily.Type.COUNTER, help, labelNames, maxSeriesPerMetric,
                labelValuePool));
    }

    FamilyBuilder gauge(String name, String help, List<String> labelNames) {
        return add(new FamilyBuilder(name, MetricFamily.Type.GAUGE, help, labelNames, maxSeriesPerMetric,
                labelValuePool));
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
        names.addAll(memberLabels(rest));
        return names;
    }

    /** As {@link #userLabels} without {@code account}: series no account owns (the OTLP receiver's). */
    List<String> memberLabels(String... rest) {
        List<String> names = new ArrayList<>();
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
        return addMember(new ArrayList<>(accountValues(account)), email);
    }

    /**
     * The values of {@link #memberLabels} without the rest, for an e-mail: for series no account owns (the OTLP
     * receiver's, which cannot tell which account sent them).
     */
    List<String> memberValues(String email) {
        return addMember(new ArrayList<>(3), email);
    }

    /** Adds user (unless mode none), team and location of {@code email} to {@code values}. */
    private List<String> addMember(List<String> values, String email) {
        if (withUser) {
            values.add(ranking.user(userLabeler.label(email).orElseThrow()));
        }
        Assignment a = directory.lookup(email);
        values.add(a.team());
        values.add(a.location());
        return values;
    }

    /** The {@code model} label value of a usage model: itself, or {@code other} outside the ranking's models. */
    String model(String model) {
        return ranking.model(model);
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

    /**
     * The families, then {@value #DROPPED_SERIES} counting per family the series no exposition could carry,
     * {@value #CAPPED_SERIES} and {@value #FOLDED_VALUES}.
     */
    List<MetricFamily> build() {
        List<MetricFamily> out = new ArrayList<>(families.size() + 3);
        families.forEach(f -> out.add(f.build()));
        FamilyBuilder dropped = bookkeeping(DROPPED_SERIES, DROPPED_SERIES_HELP, "metric");
        FamilyBuilder capped = bookkeeping(CAPPED_SERIES, CAPPED_SERIES_HELP, "metric");
        families.forEach(f -> {
            if (f.dropped() > 0) {
                dropped.add(List.of(f.name()), f.dropped());
            }
            capped.add(List.of(f.name()), f.capped() ? 1 : 0);
        });
        FamilyBuilder folded = bookkeeping(FOLDED_VALUES, FOLDED_VALUES_HELP, "label");
        folded.add(List.of("user"), withUser ? ranking.foldedUsers() : 0);
        folded.add(List.of("model"), ranking.foldedModels());
        out.add(dropped.build());
        out.add(capped.build());
        out.add(folded.build());
        return out;
    }

    /** The families, by name, that reached the cap in this build. */
    List<String> cappedNames() {
        return families.stream().filter(FamilyBuilder::capped).map(FamilyBuilder::name).toList();
    }

    /** A family about the snapshot itself: one series per family or label, never capped. */
    private static FamilyBuilder bookkeeping(String name, String help, String label) {
        return new FamilyBuilder(name, MetricFamily.Type.GAUGE, help, List.of(label), Integer.MAX_VALUE,
                new HashMap<>());
    }
}
