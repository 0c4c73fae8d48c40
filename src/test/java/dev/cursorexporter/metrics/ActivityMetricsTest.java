package dev.cursorexporter.metrics;

import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActivityMetricsTest {
    @TempDir
    Path dir;

    @Test
    void membersActiveUsersAndTheDailyUsageCountersFromTheEpochOn() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            MetricsFixture.daily(store);
            // Newest daily-usage day 03-17: ana active that day, bo on 03-05 (inside 28d only), dee never; cy is
            // removed. ana's row of 02-12 predates the epoch and is not counted.
            assertEquals("""
                    cursor_active_users{location="Berlin",team="Platform",window="1d"} 1.0
                    cursor_active_users{location="Berlin",team="Platform",window="28d"} 1.0
                    cursor_active_users{location="Berlin",team="Platform",window="7d"} 1.0
                    cursor_active_users{location="London",team="Payments",window="1d"} 0.0
                    cursor_active_users{location="London",team="Payments",window="28d"} 1.0
                    cursor_active_users{location="London",team="Payments",window="7d"} 0.0
                    cursor_feature_requests_total{feature="agent",location="Berlin",team="Platform",user="ana@acme.io"} 9.0
                    cursor_feature_requests_total{feature="agent",location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_feature_requests_total{feature="agent",location="London",team="Payments",user="bo@acme.io"} 4.0
                    cursor_feature_requests_total{feature="bugbot",location="Berlin",team="Platform",user="ana@acme.io"} 0.0
                    cursor_feature_requests_total{feature="bugbot",location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_feature_requests_total{feature="bugbot",location="London",team="Payments",user="bo@acme.io"} 1.0
                    cursor_feature_requests_total{feature="chat",location="Berlin",team="Platform",user="ana@acme.io"} 6.0
                    cursor_feature_requests_total{feature="chat",location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_feature_requests_total{feature="chat",location="London",team="Payments",user="bo@acme.io"} 2.0
                    cursor_feature_requests_total{feature="cmdk",location="Berlin",team="Platform",user="ana@acme.io"} 2.0
                    cursor_feature_requests_total{feature="cmdk",location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_feature_requests_total{feature="cmdk",location="London",team="Payments",user="bo@acme.io"} 0.0
                    cursor_feature_requests_total{feature="composer",location="Berlin",team="Platform",user="ana@acme.io"} 3.0
                    cursor_feature_requests_total{feature="composer",location="Berlin",team="Platform",user="dee@acme.io"} 0.0
                    cursor_feature_requests_total{feature="composer",location="London",team="Payments",user="bo@acme.io"} 1.0
                    cursor_lines_added_total{location="Berlin",source="ai",team="Platform",user="ana@acme.io"} 200.0
                    cursor_lines_added_total{location="Berlin",source="ai",team="Platform",user="dee@acme.io"} 0.0
                    cursor_lines_added_total{location="Berlin",source="all",team="Platform",user="ana@acme.io"} 340.0
                    cursor_lines_added_total{location="Berlin",source="all",team="Platform",user="dee@acme.io"} 0.0
                    cursor_lines_added_total{location="London",source="ai",team="Payments",user="bo@acme.io"} 80.0
                    cursor_lines_added_total{location="London",source="all",team="Payments",user="bo@acme.io"} 120.0
                    cursor_members{location="Berlin",role="member",team="Platform"} 1.0
                    cursor_members{location="Berlin",role="owner",team="Platform"} 1.0
                    cursor_members{location="London",role="member",team="Payments"} 1.0
                    cursor_tab_completions_total{location="Berlin",outcome="accepted",team="Platform",user="ana@acme.io"} 45.0
                    cursor_tab_completions_total{location="Berlin",outcome="accepted",team="Platform",user="dee@acme.io"} 0.0
                    cursor_tab_completions_total{location="Berlin",outcome="shown",team="Platform",user="ana@acme.io"} 90.0
                    cursor_tab_completions_total{location="Berlin",outcome="shown",team="Platform",user="dee@acme.io"} 0.0
                    cursor_tab_completions_total{location="London",outcome="accepted",team="Payments",user="bo@acme.io"} 12.0
                    cursor_tab_completions_total{location="London",outcome="shown",team="Payments",user="bo@acme.io"} 30.0
                    """, GroupExposition.of(new ActivityMetrics(store, MetricsFixture.CLOCK, Freshness.defaults()))
                    .samples());
        }
    }

    @Test
    void aDayAfterTodayDoesNotMoveTheActiveUserWindows() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            MetricsFixture.daily(store);
            LocalDate bad = LocalDate.of(2100, 1, 1);
            store.saveDailyUsage(MetricsFixture.ACCOUNT, List.of(new DailyUsageRow(bad, null, MetricsFixture.BO,
                    true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "")), bad, bad, false);
            // the windows end today (03-18), not in 2100: nobody active today, ana on 03-17, bo on 03-05
            assertEquals("""
                    cursor_active_users{location="Berlin",team="Platform",window="1d"} 0.0
                    cursor_active_users{location="Berlin",team="Platform",window="28d"} 1.0
                    cursor_active_users{location="Berlin",team="Platform",window="7d"} 1.0
                    cursor_active_users{location="London",team="Payments",window="1d"} 0.0
                    cursor_active_users{location="London",team="Payments",window="28d"} 1.0
                    cursor_active_users{location="London",team="Payments",window="7d"} 0.0
                    """, GroupExposition.of(new ActivityMetrics(store, MetricsFixture.CLOCK, Freshness.defaults()))
                    .samples().lines().filter(l -> l.startsWith("cursor_active_users")).map(l -> l + "\n")
                    .reduce("", String::concat));
        }
    }
}
