package dev.cursorexporter.query;

import dev.cursorexporter.model.Money;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.StoreReader;
import dev.cursorexporter.store.StoredMember;
import dev.cursorexporter.store.StoredSpend;
import dev.cursorexporter.store.UsageTotals;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The questions the Grafana datasource endpoints ask of the store, with their answers cached until the next sync
 * writes. The user value is the Prometheus user label (e-mail or salted pseudonym), or the e-mail in user-label
 * mode {@code none}; in the pseudonym mode member names and e-mails are withheld too. Thread-safe.
 */
public final class DatasourceQueries {
    /**
     * Heap bytes per answer row: one answer may take about a quarter of the heap while it is built (~300 bytes a
     * row), so the Dockerfile's 112 MiB in 256 MiB allow 98,030 rows: a year of ~265 users by day, or 98 days of
     * 1,000.
     */
    private static final long HEAP_BYTES_PER_ANSWER_ROW = 1_200;
    /**
     * Cached answers are weighed in rows (~100 bytes each once built), about a sixth of the heap: a dashboard of
     * per-user panels over a year must not fill the heap, as a cap on the number of answers would allow.
     */
    private static final long HEAP_BYTES_PER_CACHED_ROW = 600;
    private static final long MIN_ROWS = 10_000;
    /**
     * Answers asked again are also kept as the bytes an endpoint sent, in a twelfth of the heap (~9.7 MB of the
     * Dockerfile's 116 MiB): a board refreshed with the same range is then answered without writing its JSON again,
     * which for a year by model (a megabyte) was most of a cached answer's time.
     */
    private static final long HEAP_SHARE_OF_ENCODED_ANSWERS = 12;
    /**
     * Share of the cache one answer may take and still be kept: a larger one (a year of per-user rows) is served
     * but not cached, so it cannot push out the small answers a board asks for on every refresh.
     */
    static final int LARGEST_CACHED_SHARE = 8;
    /**
     * Answers computed at once: one core is always left to the scrape (one computation on the 2 cores this usually
     * gets: {@code /metrics} during a Grafana load measured 0.93x idle, against 1.74x with two; BENCHMARKS.md), and
     * never more than two, since each may take a quarter of the heap while it is built.
     */
    public static final int CONCURRENT_COMPUTATIONS =
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1));

    private final StoreReader store;
    private final DailyQueries daily;
    private final Supplier<Directory> directory;
    private final UserLabeler labeler;
    private final Clock clock;
    /**
     * Keys carry the generation they were computed in: a computation still running when a sync invalidates
     * stores its (stale) answer under an old generation, where no later lookup finds it.
     */
    private final AtomicLong generation = new AtomicLong();
    private final Cache<Key, Object> cache;
    /** Answers being computed: a second request for the same question waits for the first one's answer. */
    private final ConcurrentMap<Key, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
    private final long maxCachedAnswerRows;
    private final long maxRows;
    private final Semaphore computations = new Semaphore(CONCURRENT_COMPUTATIONS, true);
    private final Cache<Key, byte[]> encoded;
    /**
     * Questions asked once in this generation: only a question asked again has its bytes kept. Keeping every
     * answer's bytes on its first ask held megabytes that a Grafana load with fresh ranges never asked for again,
     * and the collections that freed them stopped the scrape too (7 full collections in 20 s instead of 2).
     */
    private final Cache<Key, Boolean> askedOnce = Caffeine.newBuilder().executor(Runnable::run)
            .maximumSize(4_096).build();
    private final int maxEncodedAnswerBytes;

    private record Key(long generation, Object question) {
    }

    /**
     * @param directory read per computation, so a reloaded directory shows after the next invalidation
     * @param labeler   the metrics plane's user labeler
     */
    public DatasourceQueries(StoreReader store, DailyQueries daily, Supplier<Directory> directory, UserLabeler labeler,
                             Clock clock) {
        this(store, daily, directory, labeler, clock,
                Math.max(MIN_ROWS, Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_ANSWER_ROW),
                Math.max(MIN_ROWS, Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_CACHED_ROW),
                Runtime.getRuntime().maxMemory() / HEAP_SHARE_OF_ENCODED_ANSWERS);
    }

    /** With encoded answers kept in a twelfth of the heap. */
    public DatasourceQueries(StoreReader store, DailyQueries daily, Supplier<Directory> directory, UserLabeler labeler,
                             Clock clock, long maxRows, long cacheRows) {
        this(store, daily, directory, labeler, clock, maxRows, cacheRows,
                Runtime.getRuntime().maxMemory() / HEAP_SHARE_OF_ENCODED_ANSWERS);
    }

    /**
     * @param maxRows   most rows of one answer; larger questions throw {@link AnswerTooLarge}
     * @param cacheRows rows all cached answers may hold together; an answer over {@code cacheRows /
     *                  LARGEST_CACHED_SHARE} rows is not kept
     * @param encodedBytes bytes all kept encoded answers may hold together; likewise an answer over an eighth of
     *                     them is not kept
     */
    public DatasourceQueries(StoreReader store, DailyQueries daily, Supplier<Directory> directory, UserLabeler labeler,
                      Clock clock, long maxRows, long cacheRows, long encodedBytes) {
        this.maxRows = maxRows;
        this.encoded = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(encodedBytes)
                .weigher((Key k, byte[] bytes) -> bytes.length)
                .build();
        this.maxEncodedAnswerBytes = (int) Math.min(Integer.MAX_VALUE - 16, encodedBytes / LARGEST_CACHED_SHARE);
        this.cache = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(cacheRows)
                .weigher((Key k, Object answer) -> rows(answer))
                .build();
        this.maxCachedAnswerRows = Math.max(1, cacheRows / LARGEST_CACHED_SHARE);
        this.store = store;
        this.daily = daily;
        this.directory = directory;
        this.labeler = Identities.forDatasource(labeler);
        this.clock = clock;
    }

    /** Today in UTC, for default ranges. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** False in the pseudonym user-label mode: names and e-mails are then withheld. */
    public boolean revealsEmails() {
        return labeler.mode() != UserLabelMode.HASH;
    }

    /** Drops every cached answer; called after each sync job. */
    public void invalidate() {
        generation.incrementAndGet();
        cache.invalidateAll();
        encoded.invalidateAll();
        askedOnce.invalidateAll();
    }

    /**
     * Where an endpoint keeps the bytes of its answer to {@code question} (its own question type: the same rows
     * are written differently by different endpoints), for the store as it is now: bytes kept after the next
     * sync started are never found.
     */
    public EncodedAnswer encodedAnswer(Object question) {
        Key key = new Key(generation.get(), question);
        boolean again = askedOnce.asMap().putIfAbsent(key, Boolean.TRUE) != null;
        return new EncodedAnswer(key, again);
    }

    /** One question's kept bytes; see {@link #encodedAnswer}. */
    public final class EncodedAnswer {
        private final Key key;
        private final boolean askedBefore;

        private EncodedAnswer(Key key, boolean askedBefore) {
            this.key = key;
            this.askedBefore = askedBefore;
        }

        /** The bytes kept, or null. */
        public byte[] bytes() {
            return encoded.getIfPresent(key);
        }

        /**
         * Most bytes {@link #keep} keeps: none on a question's first ask; a larger answer should be streamed
         * instead of held.
         */
        public int maxBytes() {
            return askedBefore ? maxEncodedAnswerBytes : 0;
        }

        /** Keeps {@code bytes} unless larger than {@link #maxBytes()}; the caller must not change them. */
        public void keep(byte[] bytes) {
            if (bytes.length <= maxBytes()) {
                encoded.put(key, bytes);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public List<SeriesRow> series(SeriesQuery query) {
        // A dashboard opens many panels at once; each computation may take its row limit's share of the heap and
        // fills a store connection's page cache, so only a few run together; cached answers never wait.
        return (List<SeriesRow>) answer(new Key(generation.get(), query), () -> computeSeries(query), true);
    }

    /** Most rows one answer may have; a request asking several questions should hold no more in all. */
    public long maxRows() {
        return maxRows;
    }

    /** Every member ever seen (removed ones flagged) that satisfies the conditions on user, team and location. */
    public List<MemberRow> members(List<Condition> conditions) {
        return cached(new MembersQuestion(List.copyOf(conditions)), q -> computeMembers(q.conditions()));
    }

    /**
     * Days whose data of {@code source} the store holds for every account: days stored completely (coverage),
     * and the days after the newest of them up to the UTC day of the source's last successful poll, which that
     * poll's look-back read. Nothing when the store has no account.
     */
    public Set<LocalDate> coveredDays(Source source) {
        return cached(new CoverageQuestion(source), q -> computeCoveredDays(q.source()));
    }

    private record CoverageQuestion(Source source) {
    }

    private Set<LocalDate> computeCoveredDays(Source source) {
        Set<LocalDate> all = null;
        for (String account : store.accounts()) {
            Set<LocalDate> days = new TreeSet<>(store.heldDays(account, source));
            if (all == null) {
                all = days;
            } else {
                all.retainAll(days);
            }
        }
        return all == null ? Set.of() : Set.copyOf(all);
    }

    /** Every value of {@code dimension} in the store (members and usage of all time), sorted. */
    public List<String> values(Dimension dimension) {
        return cached(dimension, this::computeValues);
    }

    private record MembersQuestion(List<Condition> conditions) {
    }

    @SuppressWarnings("unchecked")
    private <Q, A> A cached(Q question, Function<Q, A> compute) {
        return (A) answer(new Key(generation.get(), question), () -> compute.apply(question), false);
    }

    /**
     * The cached answer to {@code key}, else the one being computed for another caller, else a new one: kept when
     * it is at most {@link #maxCachedAnswerRows} rows.
     *
     * @param bounded take one of the {@link #CONCURRENT_COMPUTATIONS} permits to compute
     */
    private Object answer(Key key, Supplier<Object> compute, boolean bounded) {
        Object cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Object answer = cache.getIfPresent(key); // stored by a computation that ended since the first look
            if (answer == null) {
                if (bounded) {
                    computations.acquireUninterruptibly();
                }
                try {
                    answer = compute.get();
                } finally {
                    if (bounded) {
                        computations.release();
                    }
                }
                if (rows(answer) <= maxCachedAnswerRows) {
                    cache.put(key, answer);
                }
            }
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** The other caller's answer, or its failure as thrown to it (an {@link AnswerTooLarge} stays one). */
    private static Object await(CompletableFuture<Object> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** What an answer weighs in the cache: its rows. */
    private static int rows(Object answer) {
        return answer instanceof Collection<?> rows ? Math.max(1, rows.size()) : 1;
    }

    private List<SeriesRow> computeSeries(SeriesQuery q) {
        if (!q.constrains(Dimension.USER) && (q.constrains(Dimension.TEAM) || q.constrains(Dimension.LOCATION))) {
            try {
                return computeSeries(q, true);
            } catch (SeriesBuilder.Unassigned e) {
                // e-mails new since the last assignment: exact per e-mail until the next one covers them
            }
        }
        return computeSeries(q, false);
    }

    /**
     * @param byGroup teams and locations from the store's assignment (the per-group rollups, no per-e-mail rows);
     *                otherwise from the directory, per e-mail
     */
    private List<SeriesRow> computeSeries(SeriesQuery q, boolean byGroup) {
        SeriesBuilder builder = new SeriesBuilder(q, new Identities(directory.get(), labeler), maxRows);
        boolean users = q.constrains(Dimension.USER);
        boolean groups = q.constrains(Dimension.TEAM) || q.constrains(Dimension.LOCATION);
        DailyQuery usage = DailyQuery.days(q.from(), q.to());
        if (byGroup) {
            usage = groups(q, usage);
        } else if (users || groups) {
            usage = usage.groupByUser(); // users are labelled here; without them the store sums users itself
        }
        if (q.constrains(Dimension.MODEL)) {
            usage = usage.groupByModel();
            Set<String> models = pushedDown(q, Dimension.MODEL);
            if (!models.isEmpty()) {
                usage = usage.withModels(models);
            }
        }
        if (q.constrains(Dimension.BILLING)) {
            usage = usage.groupByBilling();
        }
        if (q.constrains(Dimension.ACTOR)) {
            usage = usage.groupByActor();
        }
        // One bucket for the whole range (totals): SQL sums the days, only the groups' rows come back.
        boolean oneBucket = q.bucketDays() >= q.days();
        if (oneBucket) {
            usage = usage.summedOverRange();
        }
        daily.dailyUsageCost(usage, byGroup ? builder::addGroupUsage : builder::addUsage);
        if (q.activity()) {
            DailyQuery activity = DailyQuery.days(q.from(), q.to());
            // Distinct active users add up over groups of a day, not over the days of a longer bucket.
            if (users || q.bucketDays() > 1 || (groups && !byGroup)) {
                activity = activity.groupByUser();
                if (oneBucket) {
                    activity = activity.summedOverRange(); // each e-mail's days summed: active on any of them
                }
                daily.dailyActivity(activity, builder::addActivity);
            } else if (groups) {
                daily.dailyActivity(groups(q, activity), builder::addGroupActivity);
            } else {
                daily.dailyActivity(activity, builder::addActivity);
            }
        }
        return builder.rows();
    }

    /**
     * {@code daily} by team and location as far as {@code q} needs them: a dimension is grouped by when the answer
     * has it or a condition on it is not a plain list, and a plain list is filtered on in SQL instead, so that the
     * store sums away what the answer does not show.
     */
    private static DailyQuery groups(SeriesQuery q, DailyQuery daily) {
        Set<String> teams = pushedDown(q, Dimension.TEAM);
        Set<String> locations = pushedDown(q, Dimension.LOCATION);
        DailyQuery out = daily.withTeams(teams).withLocations(locations);
        if (q.by().contains(Dimension.TEAM) || (q.constrains(Dimension.TEAM) && teams.isEmpty())
                || !allPlainLists(q, Dimension.TEAM)) {
            out = out.groupByTeam();
        }
        if (q.by().contains(Dimension.LOCATION) || (q.constrains(Dimension.LOCATION) && locations.isEmpty())
                || !allPlainLists(q, Dimension.LOCATION)) {
            out = out.groupByLocation();
        }
        return out;
    }

    /** The values every IN condition on {@code d} allows (empty: none, or none allowed by all of them). */
    private static Set<String> pushedDown(SeriesQuery q, Dimension d) {
        Set<String> allowed = null;
        for (Condition c : q.conditions()) {
            if (c.dimension() == d && c.operator() == Condition.Operator.IN) {
                if (allowed == null) {
                    allowed = new TreeSet<>(c.values());
                } else {
                    allowed.retainAll(c.values());
                }
            }
        }
        return allowed == null ? Set.of() : Set.copyOf(allowed);
    }

    private static boolean allPlainLists(SeriesQuery q, Dimension d) {
        return q.conditions().stream().filter(c -> c.dimension() == d)
                .allMatch(c -> c.operator() == Condition.Operator.IN);
    }

    private List<MemberRow> computeMembers(List<Condition> conditions) {
        Identities ids = new Identities(directory.get(), labeler);
        List<Condition.Matcher> matchers = conditions.stream().map(Condition::matcher).toList();
        boolean reveal = revealsEmails();
        List<MemberRow> out = new ArrayList<>();
        for (String account : store.accounts()) {
            Map<String, StoredSpend> spend = new java.util.HashMap<>();
            store.currentSpend(account).forEach(s -> spend.put(s.email(), s));
            Map<String, LocalDate> lastActive = daily.lastActiveDays(account);
            for (StoredMember m : store.members(account)) {
                String[] subject = ids.subject(m.email(), null, null, null);
                boolean accepted = true;
                for (int i = 0; i < conditions.size() && accepted; i++) {
                    String value = subject[conditions.get(i).dimension().ordinal()];
                    accepted = value != null && matchers.get(i).test(value);
                }
                if (!accepted) {
                    continue;
                }
                StoredSpend s = spend.get(m.email());
                out.add(new MemberRow(account, subject[0], reveal ? m.name() : null, reveal ? m.email() : null,
                        subject[1], subject[2], m.role(), s == null ? null : usd(s.cycleSpendCents()),
                        s == null ? null : usd(s.onDemandSpendCents()), s == null ? null : s.limitDollars(),
                        lastActive.get(m.email()), m.removed()));
            }
        }
        return List.copyOf(out);
    }

    private List<String> computeValues(Dimension dimension) {
        Directory dir = directory.get();
        Set<String> out = new TreeSet<>();
        for (String account : store.accounts()) {
            Set<String> emails = new TreeSet<>();
            store.members(account).forEach(m -> emails.add(m.email()));
            for (UsageTotals t : store.usageTotals(account)) {
                emails.add(t.email());
                if (dimension == Dimension.MODEL) {
                    out.add(t.model());
                } else if (dimension == Dimension.BILLING) {
                    out.add(t.billing().label());
                } else if (dimension == Dimension.ACTOR) {
                    out.add(t.actor().label());
                }
            }
            for (String email : emails) {
                Assignment a = dir.lookup(email);
                switch (dimension) {
                    case USER -> out.add(labeler.label(email).orElse(UserLabeler.UNKNOWN));
                    case TEAM -> out.add(a.team());
                    case LOCATION -> out.add(a.location());
                    case MODEL, BILLING, ACTOR -> { }
                }
            }
        }
        return List.copyOf(out);
    }

    private static BigDecimal usd(BigDecimal cents) {
        return Money.usdPlain(cents);
    }
}
