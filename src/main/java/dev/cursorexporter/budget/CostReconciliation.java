package dev.cursorexporter.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.model.Money;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.OtelUsers;
import dev.cursorexporter.store.StoreReader;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Cursor's OpenTelemetry estimate of cost against the Admin API's settled cost, per UTC day and team (issue 14,
 * item 3): shows when the estimate drifts. The estimate is what the OTLP receiver stored per day of each cost data
 * point's time; the settled cost is the usage events' cost of that day, read from the per-team rollups as
 * {@code /api/v1/daily?by=team} reads it. Both sides are grouped by the same team: the directory's, which the store's
 * assignment materialises (e-mails it does not cover yet are looked up in the directory, as the datasource does), and
 * an OTel identity is named as the {@code cursor_otel_*} series name it ({@link OtelUsers}). Money stays exact
 * ({@link BigDecimal} from the store's integer micro-units), summed over the configured accounts (OTel carries none).
 *
 * <p>A day's state: {@link State#NO_ESTIMATE} when no estimated cost arrived for it at all (receiver off, before it
 * was enabled, or before the store kept cost per day); else {@link State#SETTLED} when every account's usage events
 * of the day are stored for good (the day left the look-back, so Cursor no longer restates it); else
 * {@link State#PENDING}. Answers are cached until {@link #invalidate()} (after every sync job and every OTLP
 * request). Thread-safe.
 */
public final class CostReconciliation {
    /** The settled days the gauge and the status compare over. */
    public static final int WINDOW_DAYS = 7;
    /** How far back (days before today) those settled days are looked for: older ones say little about now. */
    public static final int SEARCH_DAYS = 30;
    private static final int RATIO_SCALE = 4;

    /** What a day's comparison can be trusted for. */
    public enum State {
        SETTLED("settled"), PENDING("pending"), NO_ESTIMATE("no_estimate");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** How the REST answer and the status spell it. */
        public String label() {
            return label;
        }
    }

    /**
     * One day and team.
     *
     * @param estimatedUsd Σ the OTel cost points of the day whose user the directory files under the team; 0 when
     *                     others had an estimate that day and this team none; null for {@link State#NO_ESTIMATE}
     * @param settledUsd   Σ the day's usage-event cost of the team (the cost rule of the usage counters); null when
     *                     the store does not hold the day's usage events yet (not even by the look-back)
     */
    public record Row(LocalDate day, String team, BigDecimal estimatedUsd, BigDecimal settledUsd, State state) {
        public Row {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(team, "team");
            Objects.requireNonNull(state, "state");
        }

        /** Estimated − settled; null when either is unknown. */
        public BigDecimal differenceUsd() {
            return difference(estimatedUsd, settledUsd);
        }

        /** Estimated / settled, 4 decimals; null when either is unknown or nothing was settled. */
        public BigDecimal ratio() {
            return CostReconciliation.ratio(estimatedUsd, settledUsd);
        }
    }

    /** Estimated and settled cost summed over some days. */
    public record Totals(BigDecimal estimatedUsd, BigDecimal settledUsd) {
        public Totals {
            estimatedUsd = plain(Objects.requireNonNull(estimatedUsd, "estimatedUsd"));
            settledUsd = plain(Objects.requireNonNull(settledUsd, "settledUsd"));
        }

        public BigDecimal differenceUsd() {
            return difference(estimatedUsd, settledUsd);
        }

        /** Null when nothing was settled. */
        public BigDecimal ratio() {
            return CostReconciliation.ratio(estimatedUsd, settledUsd);
        }

        Totals plus(Row r) {
            return new Totals(estimatedUsd.add(r.estimatedUsd()), settledUsd.add(r.settledUsd()));
        }
    }

    /**
     * The newest settled days (at most {@link #WINDOW_DAYS}, within {@link #SEARCH_DAYS} before today) and their
     * totals, overall and per team.
     *
     * @param days  oldest first; empty when no day of the search range is settled
     * @param total null when {@code days} is empty
     */
    public record Window(List<LocalDate> days, Totals total, Map<String, Totals> byTeam) {
        public Window {
            days = List.copyOf(days);
            byTeam = java.util.Collections.unmodifiableMap(new TreeMap<>(byTeam));
        }
    }

    private final StoreReader store;
    private final DailyQueries daily;
    private final List<String> accounts;
    private final Supplier<Directory> directory;
    private final boolean receiverOn;
    private final Clock clock;
    private final AtomicLong generation = new AtomicLong();
    /** A few boards' ranges and the window; recomputed after {@link #invalidate()}. */
    private final Cache<Object, Object> answers = Caffeine.newBuilder().executor(Runnable::run).maximumSize(64)
            .build();

    private record RangeQuestion(long generation, LocalDate from, LocalDate to) {
    }

    private record WindowQuestion(long generation, LocalDate today) {
    }

    /**
     * @param accounts   the configured accounts: whose settled cost counts and whose coverage settles a day
     * @param directory  read per computation, so a reloaded directory regroups both sides after the next
     *                   invalidation
     * @param receiverOn whether the OTLP receiver listens (the status says so; the gauge is absent without it)
     */
    public CostReconciliation(StoreReader store, List<String> accounts, Supplier<Directory> directory,
                              boolean receiverOn, Clock clock) {
        this.store = store;
        this.daily = store.daily();
        this.accounts = List.copyOf(accounts);
        this.directory = directory;
        this.receiverOn = receiverOn;
        this.clock = clock;
    }

    /** Whether the OTLP receiver listens. */
    public boolean receiverOn() {
        return receiverOn;
    }

    /** Today in UTC. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Drops every cached answer: the store changed (a sync job, an OTLP request). */
    public void invalidate() {
        generation.incrementAndGet();
        answers.invalidateAll();
    }

    /** The newest UTC day any estimated cost was received for. */
    public Optional<LocalDate> newestEstimateDay() {
        return store.otel().newestCostDay();
    }

    /**
     * One row per day of {@code from}..{@code to} and team that had an estimate or settled cost on any day of the
     * range (zeros and nulls included, so every team has every day), ordered by day, then team.
     */
    @SuppressWarnings("unchecked")
    public List<Row> days(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        return (List<Row>) cached(new RangeQuestion(generation.get(), from, to), () -> compute(from, to));
    }

    /** The newest settled days within the search range before today, and what they add up to. */
    public Window lastSettledDays() {
        LocalDate today = today();
        return (Window) cached(new WindowQuestion(generation.get(), today), () -> window(today));
    }

    /**
     * The kept answer, else a new one, kept. Not {@code Cache.get}: the window's computation asks for days, and a
     * cache may not be asked from inside its own computation. Two callers may compute the same answer at once (it
     * takes milliseconds); an answer of an older generation is never found again.
     */
    private Object cached(Object question, Supplier<Object> compute) {
        Object answer = answers.getIfPresent(question);
        if (answer == null) {
            answer = compute.get();
            answers.put(question, answer);
        }
        return answer;
    }

    private Window window(LocalDate today) {
        List<Row> rows = days(today.minusDays(SEARCH_DAYS), today);
        TreeSet<LocalDate> settled = new TreeSet<>();
        rows.stream().filter(r -> r.state() == State.SETTLED).forEach(r -> settled.add(r.day()));
        List<LocalDate> days = new ArrayList<>(settled.descendingSet().stream().limit(WINDOW_DAYS).toList());
        java.util.Collections.reverse(days);
        if (days.isEmpty()) {
            return new Window(List.of(), null, Map.of());
        }
        Set<LocalDate> in = new HashSet<>(days);
        Totals zero = new Totals(BigDecimal.ZERO, BigDecimal.ZERO);
        Totals total = zero;
        Map<String, Totals> byTeam = new TreeMap<>();
        for (Row r : rows) {
            if (in.contains(r.day())) {
                total = total.plus(r);
                byTeam.put(r.team(), byTeam.getOrDefault(r.team(), zero).plus(r));
            }
        }
        byTeam.values().removeIf(t -> t.estimatedUsd().signum() == 0 && t.settledUsd().signum() == 0);
        return new Window(days, total, byTeam);
    }

    private List<Row> compute(LocalDate from, LocalDate to) {
        Directory dir = directory.get();
        Map<LocalDate, Map<String, BigDecimal>> estimated = estimated(from, to, dir);
        Map<LocalDate, Map<String, BigDecimal>> settled = settled(from, to, dir);
        Set<LocalDate> held = everyAccount(a -> store.heldDays(a, Source.USAGE_EVENTS));
        Set<LocalDate> storedForGood = everyAccount(a -> store.coveredDays(a, Source.USAGE_EVENTS));
        Set<String> teams = new TreeSet<>();
        estimated.values().forEach(m -> teams.addAll(m.keySet()));
        settled.values().forEach(m -> teams.addAll(m.keySet()));
        List<Row> out = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Map<String, BigDecimal> e = estimated.get(day);
            Map<String, BigDecimal> s = held.contains(day) ? settled.getOrDefault(day, Map.of()) : null;
            State state = e == null ? State.NO_ESTIMATE
                    : storedForGood.contains(day) ? State.SETTLED : State.PENDING;
            for (String team : teams) {
                out.add(new Row(day, team, e == null ? null : e.getOrDefault(team, BigDecimal.ZERO),
                        s == null ? null : s.getOrDefault(team, BigDecimal.ZERO), state));
            }
        }
        return List.copyOf(out);
    }

    /** Day → team → estimated USD; a day is present when any estimate arrived for it. */
    private Map<LocalDate, Map<String, BigDecimal>> estimated(LocalDate from, LocalDate to, Directory dir) {
        OtelUsers users = OtelUsers.of(store, accounts);
        Map<LocalDate, Map<String, Long>> micros = new HashMap<>();
        Map<String, String> teamOf = new HashMap<>();
        store.otel().dailyCost(from, to, c -> {
            String team = teamOf.computeIfAbsent(users.email(c.who()), e -> dir.lookup(e).team());
            micros.computeIfAbsent(c.day(), d -> new HashMap<>()).merge(team, c.microUsd(), Math::addExact);
        });
        Map<LocalDate, Map<String, BigDecimal>> out = new HashMap<>();
        micros.forEach((day, byTeam) -> {
            Map<String, BigDecimal> usd = new HashMap<>();
            byTeam.forEach((team, m) -> usd.put(team, plain(BigDecimal.valueOf(m, 6))));
            out.put(day, usd);
        });
        return out;
    }

    /**
     * Day → team → settled USD from the per-team rollup; when it sums e-mails the stored assignment does not cover
     * yet (new since the last one), per e-mail with the directory's team instead, so the answer is exact at all
     * times (as the datasource answers).
     */
    private Map<LocalDate, Map<String, BigDecimal>> settled(LocalDate from, LocalDate to, Directory dir) {
        DailyQuery base = DailyQuery.days(from, to).withAccounts(Set.copyOf(accounts));
        List<DailyUsageCost> byTeam = daily.dailyUsageCost(base.groupByTeam());
        boolean unassigned = byTeam.stream().anyMatch(r -> DailyQueries.UNASSIGNED.equals(r.team()));
        Map<LocalDate, Map<String, BigDecimal>> cents = new HashMap<>();
        if (!unassigned) {
            byTeam.forEach(r -> add(cents, r.day(), r.team(), r.costCents()));
        } else {
            Map<String, String> teamOf = new HashMap<>();
            daily.dailyUsageCost(base.groupByUser(), r -> add(cents, r.day(),
                    teamOf.computeIfAbsent(r.email(), e -> dir.lookup(e).team()), r.costCents()));
        }
        Map<LocalDate, Map<String, BigDecimal>> out = new HashMap<>();
        cents.forEach((day, teams) -> {
            Map<String, BigDecimal> usd = new HashMap<>();
            teams.forEach((team, c) -> usd.put(team, plain(Money.usd(c))));
            out.put(day, usd);
        });
        return out;
    }

    private static void add(Map<LocalDate, Map<String, BigDecimal>> into, LocalDate day, String team,
                            BigDecimal cents) {
        into.computeIfAbsent(day, d -> new HashMap<>()).merge(team, cents, BigDecimal::add);
    }

    /** The days every configured account has (none without accounts). */
    private Set<LocalDate> everyAccount(java.util.function.Function<String, Set<LocalDate>> days) {
        Set<LocalDate> all = null;
        for (String account : accounts) {
            Set<LocalDate> mine = new HashSet<>(days.apply(account));
            if (all == null) {
                all = mine;
            } else {
                all.retainAll(mine);
            }
        }
        return all == null ? Set.of() : all;
    }

    private static BigDecimal difference(BigDecimal estimated, BigDecimal settled) {
        return estimated == null || settled == null ? null : plain(estimated.subtract(settled));
    }

    private static BigDecimal ratio(BigDecimal estimated, BigDecimal settled) {
        return estimated == null || settled == null || settled.signum() == 0 ? null
                : estimated.divide(settled, RATIO_SCALE, RoundingMode.HALF_EVEN);
    }

    /** Without trailing zeros, never in exponent form. */
    private static BigDecimal plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
