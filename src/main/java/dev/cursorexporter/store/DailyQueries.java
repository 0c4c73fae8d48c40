package dev.cursorexporter.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Per-day reads for the Grafana datasource and forecasts, next to the {@link Store} contract. Only days with
 * data are returned (the API fills empty days with zero rows); rows are ordered by day, then account, e-mail and
 * model. Thread-safe.
 */
public interface DailyQueries {

    /** Usage-event cost, requests and tokens per day and group. */
    List<DailyUsageCost> dailyUsageCost(DailyQuery query);

    /** Daily-usage activity per day and group; grouping by model and model filters are ignored. */
    List<DailyActivity> dailyActivity(DailyQuery query);

    /** Spend snapshots of {@code account} for days {@code from}..{@code to}, ordered by day and e-mail. */
    List<SpendSnapshot> spendSnapshots(String account, LocalDate from, LocalDate to);

    /** Newest day each e-mail of {@code account} was active (daily usage), for the members table. */
    Map<String, LocalDate> lastActiveDays(String account);
}
