package dev.cursorexporter.metrics;

import dev.cursorexporter.model.BackfillRange;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.BackfillProgress;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.cursorexporter.metrics.MetricsFixture.ANA;
import static dev.cursorexporter.metrics.MetricsFixture.at;
import static dev.cursorexporter.metrics.MetricsFixture.charged;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExporterHealthMetricsTest {
    @TempDir
    Path dir;

    @Test
    void sourcesUpLastSuccessAvailabilityRefusedKeyAndBackfillProgress() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.sourceStates(store);
            MetricsFixture.enterprise(store);
            // usage events: 03-01 .. 03-15 stored for good plus the look-back 03-16 .. 03-18 read = 18 of the 31
            // days of a 30-day backfill; daily usage: only its look-back, read by its last success = 3 days.
            MetricsFixture.events(store, MetricsFixture.ACCOUNT, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 15),
                    List.of(charged(at(2026, 3, 2, 9), ANA, "gpt-5.2", "1")));
            BackfillProgress backfill = new BackfillProgress(store, new BackfillRange(30, 2), MetricsFixture.CLOCK);
            // Last successes 10:20 (1773829200) and, for daily usage, 08:30 (1773822600) before its refusal.
            assertEquals("""
                    cursor_exporter_auth_failing 1.0
                    cursor_exporter_backfill_covered_seconds{source="daily_usage"} 259200.0
                    cursor_exporter_backfill_covered_seconds{source="usage_events"} 1555200.0
                    cursor_exporter_backfill_progress_ratio{source="daily_usage"} 0.0967
                    cursor_exporter_backfill_progress_ratio{source="usage_events"} 0.5806
                    cursor_exporter_source_available{source="ai_code"} 1.0
                    cursor_exporter_source_available{source="analytics"} 1.0
                    cursor_exporter_source_available{source="audit_logs"} 0.0
                    cursor_exporter_source_available{source="billing_groups"} 1.0
                    cursor_exporter_source_last_success_timestamp_seconds{source="ai_code"} 1.7738292E9
                    cursor_exporter_source_last_success_timestamp_seconds{source="analytics"} 1.7738292E9
                    cursor_exporter_source_last_success_timestamp_seconds{source="billing_groups"} 1.7738292E9
                    cursor_exporter_source_last_success_timestamp_seconds{source="daily_usage"} 1.7738226E9
                    cursor_exporter_source_last_success_timestamp_seconds{source="members"} 1.7738292E9
                    cursor_exporter_source_last_success_timestamp_seconds{source="spend"} 1.7738292E9
                    cursor_exporter_source_last_success_timestamp_seconds{source="usage_events"} 1.7738292E9
                    cursor_exporter_source_up{source="ai_code"} 1.0
                    cursor_exporter_source_up{source="analytics"} 1.0
                    cursor_exporter_source_up{source="audit_logs"} 0.0
                    cursor_exporter_source_up{source="billing_groups"} 1.0
                    cursor_exporter_source_up{source="daily_usage"} 0.0
                    cursor_exporter_source_up{source="members"} 1.0
                    cursor_exporter_source_up{source="spend"} 1.0
                    cursor_exporter_source_up{source="usage_events"} 1.0
                    """, GroupExposition.of(new ExporterHealthMetrics(store, true, backfill)).samples());
        }
    }

    @Test
    void aKeyAcceptedAgainIsNotFailingAndWithoutAuthStateOrBackfillNeitherIsShown() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.sourceStates(store);
            store.saveAuthRefusal(MetricsFixture.ACCOUNT, Source.DAILY_USAGE, null);
            assertEquals("cursor_exporter_auth_failing 0.0", GroupExposition.of(
                    new ExporterHealthMetrics(store, true, null)).samples().lines()
                    .filter(l -> l.startsWith("cursor_exporter_auth") || l.startsWith("cursor_exporter_backfill"))
                    .reduce("", String::concat));
            assertEquals("", GroupExposition.of(new ExporterHealthMetrics(store, false, null)).samples().lines()
                    .filter(l -> l.startsWith("cursor_exporter_auth") || l.startsWith("cursor_exporter_backfill"))
                    .reduce("", String::concat));
        }
    }
}
