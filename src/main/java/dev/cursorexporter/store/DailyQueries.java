package dev.cursorexporter.store;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-day reads for the Grafana datasource and forecasts, next to the {@link Store} contract. Only days with
 * data are returned (the API fills empty days with zero rows); rows are ordered by day, then account, e-mail and
 * model. Thread-safe.
 */
public interface DailyQueries {

    /**
     * Team and location of group rows ({@link DailyQuery#byGroup()}) that sum e-mails the stored assignment does
     * not cover yet (new since the last {@link StoreWriter#assignGroups}): their true groups are unknown.
     */
    String UNASSIGNED = "";

    /**
     * Usage-event cost, requests and tokens per day and group, handed to {@code sink} row by row while the store
     * reads them (a year per user is hundreds of thousands of rows). An exception from the sink ends the read.
     */
    void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink);

    /** Daily-usage activity per day and group, streamed like {@link #dailyUsageCost(DailyQuery, Consumer)}. */
    void dailyActivity(DailyQuery query, Consumer<? super DailyActivity> sink);

    /** Usage-event cost, requests and tokens per day and group. */
    default List<DailyUsageCost> dailyUsageCost(DailyQuery query) {
        List<DailyUsageCost> out = new ArrayList<>();
        dailyUsageCost(query, out::add);
        return List.copyOf(out);
    }

    /** Daily-usage activity per day and group; grouping by model and model filters are ignored. */
    default List<DailyActivity> dailyActivity(DailyQuery query) {
        List<DailyActivity> out = new ArrayList<>();
        dailyActivity(query, out::add);
        return List.copyOf(out);
    }

    /** Spend snapshots of {@code account} for days {@code from}..{@code to}, ordered by day and e-mail. */
    List<SpendSnapshot> spendSnapshots(String account, LocalDate from, LocalDate to);

    /** Newest day each e-mail of {@code account} was active (daily usage), for the members table. */
    Map<String, LocalDate> lastActiveDays(String account);
}
