package dev.cursorexporter.metrics;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnterpriseMetricsTest {
    @TempDir
    Path dir;

    @Test
    void billingGroupsAnalyticsAndAiCodeTracking() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.enterprise(store);
            // Analytics: DAU and client versions of the newest day (03-18) only; model messages and agent edits
            // summed over 03-17 and 03-18, other fields left out. AI code: ana's commits c1 (tab 10, composer 20,
            // non-AI 5) and c2 (1, 0, 4); c3 without an e-mail is user unknown. Audit log: one login, one settings
            // change (stored before its source was found unavailable: what is stored is shown).
            assertEquals("""
                    cursor_agent_edits_total{outcome="accepted"} 6.0
                    cursor_agent_edits_total{outcome="rejected"} 3.0
                    cursor_agent_edits_total{outcome="suggested"} 10.0
                    cursor_ai_code_commits_total{location="Berlin",team="Platform",user="ana@acme.io"} 2.0
                    cursor_ai_code_commits_total{location="unknown",team="unassigned",user="unknown"} 1.0
                    cursor_ai_code_lines_added_total{location="Berlin",source="composer",team="Platform",user="ana@acme.io"} 20.0
                    cursor_ai_code_lines_added_total{location="Berlin",source="non_ai",team="Platform",user="ana@acme.io"} 9.0
                    cursor_ai_code_lines_added_total{location="Berlin",source="tab",team="Platform",user="ana@acme.io"} 11.0
                    cursor_ai_code_lines_added_total{location="unknown",source="composer",team="unassigned",user="unknown"} 0.0
                    cursor_ai_code_lines_added_total{location="unknown",source="non_ai",team="unassigned",user="unknown"} 8.0
                    cursor_ai_code_lines_added_total{location="unknown",source="tab",team="unassigned",user="unknown"} 0.0
                    cursor_analytics_dau 1.0
                    cursor_audit_events_total{event_type="login"} 1.0
                    cursor_audit_events_total{event_type="team_settings"} 1.0
                    cursor_billing_group_spend_usd{team="Platform"} 42.5
                    cursor_billing_group_spend_usd{team="Unassigned"} 8.005
                    cursor_client_version_users{version="2.4.27"} 1.0
                    cursor_client_version_users{version="2.5.0"} 1.0
                    cursor_model_messages_total{model="claude-4.5-sonnet"} 15.0
                    cursor_model_messages_total{model="gpt-5.2"} 7.0
                    """, GroupExposition.of(new EnterpriseMetrics(store, Freshness.defaults())).samples());
        }
    }

    @Test
    void aTeamWithoutTheEnterpriseSourcesHasNoSeriesOfThem() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            assertEquals("\n", GroupExposition.of(new EnterpriseMetrics(store, Freshness.defaults())).samples());
        }
    }

    @Test
    void helpSaysHowOftenEachSourceIsPolledAsConfigured() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.enterprise(store);
            GroupExposition e = GroupExposition.of(new EnterpriseMetrics(store,
                    new Freshness(Map.of(Source.ANALYTICS, Duration.ofDays(1)))));
            assertEquals("Daily active users (used at least one AI feature) on the newest day the Analytics API"
                    + " reports; that day is usually today and still partial. From the Analytics API (Enterprise);"
                    + " refreshed after each analytics poll (daily).", e.help("cursor_analytics_dau"));
            assertEquals("Commits seen by AI Code Tracking. Summed over all stored commits of AI Code Tracking"
                    + " (Enterprise); refreshed after each ai_code poll (hourly).",
                    e.help("cursor_ai_code_commits_total"));
            assertEquals("Audit-log events by event_type (login, team_settings, team_api_key, ...), each event counted"
                    + " once by its id; who, from where and what changed are never read. Summed over all stored days"
                    + " of /teams/audit-logs (Enterprise); refreshed after each audit_logs poll (hourly).",
                    e.help("cursor_audit_events_total"));
        }
    }
}
