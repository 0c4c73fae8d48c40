package dev.cursorexporter.bench;

import dev.cursorexporter.cursor.EventPages;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SqliteStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Usage-event ingestion against its limit. The pages of one window are fetched from the simulator once and kept
 * as response bodies in memory; then, alternately, they are parsed only (the client's parser: the limit) and
 * parsed and stored (the client's parser, {@code EventWindow.add} per page and one {@code commit}, into a new
 * SQLite file each run). Network and simulator time are in neither figure. Three more variants of the same pages
 * put the store's figure in context: handing each event to sqlite-jdbc as one row and nothing else (the ceiling of
 * any store that writes a row per event), and two designs that hand no event to SQLite ({@link JavaSideIngest}),
 * checked to write the same rollups as the store.
 */
final class IngestBenchmark {
    private static final int PAGE_SIZE = 1000;

    void run(int members, int days, Path work, int runs) {
        SimulatorOptions options = SimulatorOptions.builder().users(members).days(days).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build();
        List<String> pages;
        LocalDate from;
        LocalDate to;
        try (Simulator sim = Simulator.start(options)) {
            Instant now = Instant.now();
            to = LocalDate.ofInstant(now, ZoneOffset.UTC);
            from = to.minusDays(days - 1L);
            pages = fetch(sim, from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), now.toEpochMilli());
        }
        EventPages parser = new EventPages();
        long bytes = pages.stream().mapToLong(String::length).sum();
        Samples parseOnly = new Samples();
        Samples stored = new Samples();
        Samples handOver = new Samples();
        Samples javaSide = new Samples();
        Samples rollupsOnly = new Samples();
        long events = 0;
        long compared = 0;
        for (int run = 0; run < runs + 1; run++) { // run 0 warms up both paths
            long start = System.nanoTime();
            long n = 0;
            for (String page : pages) {
                n += parser.parse(page).size();
            }
            long parsed = System.nanoTime() - start;
            events = n;
            Path storeDir = work.resolve("ingest-" + run);
            long storeNanos = ingest(parser, pages, storeDir, from, to);
            long handOverNanos = jdbcHandOver(parser, pages);
            Path javaSideDir = work.resolve("ingest-java-" + run);
            long javaSideNanos = JavaSideIngest.run(parser, pages, javaSideDir, JavaSideIngest.Mode.IDENTITIES);
            Path rollupsOnlyDir = work.resolve("ingest-rollups-" + run);
            long rollupsOnlyNanos = JavaSideIngest.run(parser, pages, rollupsOnlyDir,
                    JavaSideIngest.Mode.ROLLUPS_ONLY);
            // Outside the timings: a figure for a design that stores something else would mean nothing.
            compared = JavaSideIngest.requireSameAs(javaSideDir, storeDir, JavaSideIngest.Mode.IDENTITIES);
            JavaSideIngest.requireSameAs(rollupsOnlyDir, storeDir, JavaSideIngest.Mode.ROLLUPS_ONLY);
            if (run > 0) {
                parseOnly.add(parsed);
                stored.add(storeNanos);
                handOver.add(handOverNanos);
                javaSide.add(javaSideNanos);
                rollupsOnly.add(rollupsOnlyNanos);
            }
        }
        double limit = events / (parseOnly.median() / 1e9);
        double ingest = events / (stored.median() / 1e9);
        System.out.printf("RESULT ingest: %d members x %d days, %d events in %d pages (%.1f MB of JSON)%n",
                members, days, events, pages.size(), bytes / 1e6);
        System.out.printf("RESULT ingest: parse+store median %s = %.0f events/s | parse only median %s = %.0f "
                        + "events/s | ratio %.0f%% (target >= 50%%) | %d runs after 1 warm-up%n",
                Samples.ms(stored.median()), ingest, Samples.ms(parseOnly.median()), limit, 100 * ingest / limit,
                runs);
        variant("parse + JDBC hand-over only (each event bound and batch-inserted into an in-memory SQLite table "
                + "with no key, no merge, no rollup)", handOver, parseOnly, events, "the ceiling of any store that "
                + "writes one row per event through sqlite-jdbc");
        variant("parse + Java-side aggregation (content hash and count per distinct event in Java; at commit, one "
                + "transaction: (day, hash, multiplicity) rows and the rollup rows)", javaSide, parseOnly, events,
                "same rollups and (day, hash, multiplicity) as the store, " + compared + " rows compared each run");
        variant("parse + Java-side rollups only (no hash, nothing kept per event: no idempotent re-reads)",
                rollupsOnly, parseOnly, events, "same rollups as the store; the bound of not writing per event");
    }

    /** A RESULT line for one more variant of the same pages, against parse only. */
    private static void variant(String what, Samples variant, Samples parseOnly, long events, String note) {
        System.out.printf("RESULT ingest: %s median %s = %.0f events/s, %.0f%% of parse only: %s%n", what,
                Samples.ms(variant.median()), events / (variant.median() / 1e9),
                100.0 * parseOnly.median() / variant.median(), note);
    }

    /**
     * The same pages parsed and each event handed to SQLite as one row (the store's 15 columns, one batch and
     * transaction per page) into an in-memory table: what sqlite-jdbc's per-parameter binding costs on its own.
     */
    private static long jdbcHandOver(EventPages parser, List<String> pages) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE e (w INTEGER, day INTEGER, seq INTEGER, hash BLOB, ts INTEGER, email TEXT,"
                        + " model TEXT, kind TEXT, billing TEXT, max_mode INTEGER, cost INTEGER, i INTEGER, o INTEGER,"
                        + " cr INTEGER, cw INTEGER)");
            }
            c.setAutoCommit(false);
            HexFormat hex = HexFormat.of();
            long seq = 0;
            long start = System.nanoTime();
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (String page : pages) {
                    for (UsageEvent e : parser.parse(page)) {
                        long ts = e.timestamp().toEpochMilli();
                        TokenUsage t = e.tokenUsage() == null ? TokenUsage.NONE : e.tokenUsage();
                        int i = 1;
                        ins.setLong(i++, 1);
                        ins.setLong(i++, Math.floorDiv(ts, 86_400_000L));
                        ins.setLong(i++, seq++);
                        ins.setBytes(i++, hex.parseHex(e.contentHash()));
                        ins.setLong(i++, ts);
                        ins.setString(i++, e.userEmail());
                        ins.setString(i++, e.model());
                        ins.setString(i++, e.kind());
                        ins.setString(i++, e.billing().label());
                        ins.setInt(i++, e.maxMode() ? 1 : 0);
                        ins.setLong(i++, e.costCents().movePointRight(6).longValue());
                        ins.setLong(i++, t.inputTokens());
                        ins.setLong(i++, t.outputTokens());
                        ins.setLong(i++, t.cacheReadTokens());
                        ins.setLong(i, t.cacheWriteTokens());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                    c.commit();
                }
            }
            return System.nanoTime() - start;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and stores every page as one window; nanoseconds from the first add to the end of the commit. */
    private static long ingest(EventPages parser, List<String> pages, Path dir, LocalDate from, LocalDate to) {
        try (SqliteStore store = SqliteStore.open(dir)) {
            long start = System.nanoTime();
            try (EventWindow window = store.openEventWindow("default", from, to)) {
                for (String page : pages) {
                    List<UsageEvent> events = parser.parse(page);
                    window.add(events);
                }
                window.commit(true);
            }
            return System.nanoTime() - start;
        }
    }

    /** Every page of {@code /teams/filtered-usage-events} for startMs..endMs, as the bodies the client receives. */
    private static List<String> fetch(Simulator sim, long startMs, long endMs) {
        HttpClient client = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString((sim.apiKey() + ":")
                .getBytes(StandardCharsets.UTF_8));
        List<String> pages = new ArrayList<>();
        for (int page = 1; ; page++) {
            String body = "{\"startDate\":" + startMs + ",\"endDate\":" + endMs + ",\"page\":" + page
                    + ",\"pageSize\":" + PAGE_SIZE + "}";
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                URI.create(sim.baseUrl() + "/teams/filtered-usage-events"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("simulator answered " + r.statusCode() + ": " + r.body());
                }
                pages.add(r.body());
                if (!r.body().contains("\"hasNextPage\":true")) {
                    return pages;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

}
