package dev.cursorexporter.query;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.store.DailyActivity;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One answer may not hold more rows than its limit: refused with advice before it has grown past it. */
class AnswerSizeLimitTest {
    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);

    @TempDir
    Path dir;

    @Test
    void anAnswerOverTheRowLimitIsRefusedWithWhatToChange() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            List<UsageEvent> events = new ArrayList<>();
            for (int day = 0; day < 5; day++) {
                for (String user : List.of("a@x.io", "b@x.io", "c@x.io")) {
                    events.add(new UsageEvent(D1.plusDays(day).atTime(9, 0).toInstant(ZoneOffset.UTC), user,
                            "gpt-5.2", "Usage-based", false, BigDecimal.ONE,
                            new TokenUsage(1, 1, 1, 1, BigDecimal.ONE), BigDecimal.ONE, null, false, null));
                }
            }
            try (EventWindow w = store.openEventWindow("default", D1, D1.plusDays(4))) {
                w.add(events);
                w.commit(true);
            }
            SeriesQuery byUser = new SeriesQuery(D1, D1.plusDays(4), 1, List.of(Dimension.USER), List.of(), false);

            assertEquals(15, queries(store, 15).series(byUser).size());
            AnswerTooLarge e = assertThrows(AnswerTooLarge.class, () -> queries(store, 14).series(byUser));
            assertEquals("the answer would have more than 14 rows (5 days x at least 3 groups); narrow the range, "
                    + "filter, group by fewer dimensions or use longer buckets", e.getMessage());
            // Longer buckets are the advice that keeps every user.
            assertEquals(6, queries(store, 14).series(new SeriesQuery(D1, D1.plusDays(4), 3,
                    List.of(Dimension.USER), List.of(), false)).size());
            // Without grouping the answer is one row per bucket, data or not.
            AnswerTooLarge days = assertThrows(AnswerTooLarge.class, () -> queries(store, 14).series(
                    new SeriesQuery(D1, D1.plusDays(29), 2, List.of(), List.of(), false)));
            assertEquals("the answer would have more than 14 rows (15 2-day buckets x at least 1 group); narrow the "
                    + "range, filter, group by fewer dimensions or use longer buckets", days.getMessage());
        }
    }

    @Test
    void distinctActiveUsersCountTowardsTheLimitToo() {
        // One row a day, but the distinct active users of each day are held until the answer is built.
        SeriesQuery perDay = new SeriesQuery(D1, D1.plusDays(9), 1, List.of(), List.of(), true);
        SeriesBuilder builder = new SeriesBuilder(perDay, new Identities(Directory.EMPTY,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty())), 100);
        AnswerTooLarge e = assertThrows(AnswerTooLarge.class, () -> {
            for (int day = 0; day < 10; day++) {
                for (int user = 0; user < 200; user++) {
                    builder.addActivity(new DailyActivity(D1.plusDays(day), null, "u" + user + "@x.io", 1, 1, 1, 1,
                            1, 1, 1, 1, 1, 1));
                }
            }
        });
        assertEquals("the answer would hold more than 100 rows' worth of data (counting distinct active users takes "
                + "at least 1,024 member-buckets); narrow the range, filter or use longer buckets", e.getMessage());

        // Per user, each row holds one e-mail and nothing more is counted: 10 days x 9 users = 90 rows pass.
        SeriesQuery perUser = new SeriesQuery(D1, D1.plusDays(9), 1, List.of(Dimension.USER), List.of(), true);
        SeriesBuilder byUser = new SeriesBuilder(perUser, new Identities(Directory.EMPTY,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty())), 100);
        for (int day = 0; day < 10; day++) {
            for (int user = 0; user < 9; user++) {
                for (int repeat = 0; repeat < 200; repeat++) { // the same member-day many times adds nothing
                    byUser.addActivity(new DailyActivity(D1.plusDays(day), null, "u" + user + "@x.io", 1, 1, 1, 1,
                            1, 1, 1, 1, 1, 1));
                }
            }
        }
        assertEquals(90, byUser.rows().size());

        SeriesBuilder small = new SeriesBuilder(perDay, new Identities(Directory.EMPTY,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty())), 100);
        for (int day = 0; day < 10; day++) {
            for (int user = 0; user < 50; user++) {
                small.addActivity(new DailyActivity(D1.plusDays(day), null, "u" + user + "@x.io", 1, 1, 1, 1, 1, 1,
                        1, 1, 1, 1));
            }
        }
        assertEquals(50, small.rows().get(9).activity().activeUsers(), "500 member-days are well within 100 rows");
    }

    private static DatasourceQueries queries(SqliteStore store, long maxRows) {
        return new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), Clock.systemUTC(), maxRows, 1_000);
    }
}
