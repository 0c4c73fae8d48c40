package dev.cursorexporter.testing;

import dev.cursorexporter.store.DailyActivity;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.SpendSnapshot;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The store's daily queries, passed on unchanged: tests override the reads they count, hold or record. */
public class ForwardingDailyQueries implements DailyQueries {
    private final DailyQueries store;

    public ForwardingDailyQueries(DailyQueries store) {
        this.store = store;
    }

    @Override
    public void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink) {
        store.dailyUsageCost(query, sink);
    }

    @Override
    public void dailyActivity(DailyQuery query, Consumer<? super DailyActivity> sink) {
        store.dailyActivity(query, sink);
    }

    @Override
    public List<SpendSnapshot> spendSnapshots(String account, LocalDate from, LocalDate to) {
        return store.spendSnapshots(account, from, to);
    }

    @Override
    public Map<String, LocalDate> lastActiveDays(String account) {
        return store.lastActiveDays(account);
    }
}
