package dev.cursorexporter.store;

import dev.cursorexporter.model.UsageEvent;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.daily;
import static dev.cursorexporter.store.Fixtures.event;

/**
 * Child process of {@link SqliteStoreDurabilityTest}: writes day after day until it is killed, printing
 * {@code committed <n>} after each day's writes returned. Day n's events all belong to {@code day<n>@x.io}.
 */
public final class CrashWriter {

    static final String ACCOUNT = "acme";
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
    static final int EVENTS_PER_DAY = 2_000;

    private CrashWriter() {
    }

    public static void main(String[] args) {
        SqliteStore store = SqliteStore.open(Path.of(args[0]));
        for (int n = 0; ; n++) {
            LocalDate day = FIRST_DAY.plusDays(n);
            String email = "day" + n + "@x.io";
            try (EventWindow window = store.openEventWindow(ACCOUNT, day, day)) {
                List<UsageEvent> page = new ArrayList<>();
                for (int i = 0; i < EVENTS_PER_DAY; i++) {
                    page.add(event(at(day, 0, 0, 0, 0).plusMillis(i * 1000L), email, "m", "1"));
                    if (page.size() == 250) {
                        window.add(page);
                        page.clear();
                    }
                }
                window.commit(true);
            }
            store.saveDailyUsage(ACCOUNT, List.of(daily(day, email, true, 1)), day, day, true);
            System.out.println("committed " + n);
            System.out.flush();
        }
    }
}
