package dev.cursorexporter.sync;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowPlannerTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 15);

    private static DayWindow w(String from, String to, boolean isFinal) {
        return new DayWindow(LocalDate.parse(from), LocalDate.parse(to), isFinal);
    }

    @Test
    void firstRunFetchesLookbackThenWholeBackfillNewestFirstInThirtyDayChunks() {
        List<DayWindow> plan = new WindowPlanner(90, 2, 30).plan(TODAY, Set.of());
        assertEquals(List.of(
                w("2026-03-13", "2026-03-15", false),
                w("2026-02-11", "2026-03-12", true),
                w("2026-01-12", "2026-02-10", true),
                w("2025-12-15", "2026-01-11", true)), plan);
        long days = plan.stream().mapToLong(DayWindow::days).sum();
        assertEquals(91, days, "every backfill day exactly once: 90 complete days and today");
    }

    @Test
    void backfillOfNDaysIsTheNCompleteDaysBeforeTodayPlusToday() {
        WindowPlanner planner = new WindowPlanner(30, 2, 30);
        assertEquals(LocalDate.parse("2026-02-13"), planner.firstDay(TODAY));
        assertEquals(30, planner.firstDay(TODAY).datesUntil(TODAY).count(), "30 complete days before today");
        assertEquals(31, planner.range().rangeDays());
        List<DayWindow> plan = planner.plan(TODAY, Set.of());
        assertEquals(List.of(w("2026-03-13", "2026-03-15", false), w("2026-02-13", "2026-03-12", true)), plan);
        assertEquals(List.of(w("2026-03-15", "2026-03-15", false), w("2026-03-14", "2026-03-14", true)),
                new WindowPlanner(1, 0, 30).plan(TODAY, Set.of()), "one day: yesterday, complete, and today");
    }

    @Test
    void coveredDaysAreNotFetchedAgainButTheLookbackAlwaysIs() {
        WindowPlanner planner = new WindowPlanner(30, 2, 30);
        Set<LocalDate> covered = new HashSet<>();
        for (DayWindow w : planner.plan(TODAY, Set.of())) {
            if (w.final_()) {
                w.from().datesUntil(w.to().plusDays(1)).forEach(covered::add);
            }
        }
        assertEquals(List.of(w("2026-03-13", "2026-03-15", false)), planner.plan(TODAY, covered));
        // A day later: the day that left the look-back is now final and not yet covered.
        assertEquals(List.of(w("2026-03-14", "2026-03-16", false), w("2026-03-13", "2026-03-13", true)),
                planner.plan(TODAY.plusDays(1), covered));
    }

    @Test
    void holesBecomeSeparateWindows() {
        WindowPlanner planner = new WindowPlanner(10, 0, 30);
        Set<LocalDate> covered = new HashSet<>();
        LocalDate.parse("2026-03-05").datesUntil(LocalDate.parse("2026-03-15")).forEach(covered::add);
        covered.remove(LocalDate.parse("2026-03-10"));
        assertEquals(List.of(w("2026-03-15", "2026-03-15", false), w("2026-03-10", "2026-03-10", true)),
                planner.plan(TODAY, covered));
    }

    @Test
    void lookbackLongerThanBackfillIsClampedToTheBackfillRange() {
        assertEquals(List.of(w("2026-03-13", "2026-03-15", false)), new WindowPlanner(2, 7, 30).plan(TODAY, Set.of()));
    }

    @Test
    void windowsNeverExceedTheLimit() {
        for (int backfill = 1; backfill <= 365; backfill += 17) {
            for (DayWindow w : new WindowPlanner(backfill, 2, 30).plan(TODAY, Set.of())) {
                assertTrue(w.days() <= 30, w.toString());
            }
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new WindowPlanner(0, 2, 30));
        assertThrows(IllegalArgumentException.class, () -> new DayWindow(TODAY, TODAY.minusDays(1), true));
    }
}
