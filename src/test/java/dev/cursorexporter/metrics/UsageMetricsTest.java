package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.cursorexporter.metrics.MetricsFixture.ANA;
import static dev.cursorexporter.metrics.MetricsFixture.DEE;
import static dev.cursorexporter.metrics.MetricsFixture.at;
import static dev.cursorexporter.metrics.MetricsFixture.charged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageMetricsTest {
    @TempDir
    Path dir;

    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void countersPerMemberModelAndBillingFromTheEpochOnWithWhatRestatementsWithdrew() {
        MetricsFixture.members(store);
        MetricsFixture.usage(store);
        // ana: 12.5 + 7.25 cents on claude; 3.25 + 0.5 fee (included) and 20 (re-classified as not charged, so
        // withdrawn, its tokens kept) on gpt-5.2; her 99 cents of 02-10 predate the epoch. bo: 30 + 40 cents.
        // The event without an e-mail (a removed member) is user unknown, byok and free.
        assertEquals("""
                cursor_usage_cost_usd_total{actor="human",location="Berlin",model="claude-4.5-sonnet",team="Platform",user="ana@acme.io"} 0.1975
                cursor_usage_cost_usd_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.2375
                cursor_usage_cost_usd_total{actor="human",location="London",model="gpt-5.2",team="Payments",user="bo@acme.io"} 0.7
                cursor_usage_cost_usd_total{actor="human",location="unknown",model="default",team="unassigned",user="unknown"} 0.0
                cursor_usage_requests_total{actor="human",billing="byok",location="unknown",model="default",team="unassigned",user="unknown"} 1.0
                cursor_usage_requests_total{actor="human",billing="included",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 1.0
                cursor_usage_requests_total{actor="human",billing="not_charged",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 1.0
                cursor_usage_requests_total{actor="human",billing="usage_based",location="Berlin",model="claude-4.5-sonnet",team="Platform",user="ana@acme.io"} 2.0
                cursor_usage_requests_total{actor="human",billing="usage_based",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 1.0
                cursor_usage_requests_total{actor="human",billing="usage_based",location="London",model="gpt-5.2",team="Payments",user="bo@acme.io"} 2.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="claude-4.5-sonnet",team="Platform",token_type="cache_read",user="ana@acme.io"} 80.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="claude-4.5-sonnet",team="Platform",token_type="cache_write",user="ana@acme.io"} 60.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="claude-4.5-sonnet",team="Platform",token_type="input",user="ana@acme.io"} 200.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="claude-4.5-sonnet",team="Platform",token_type="output",user="ana@acme.io"} 400.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="cache_read",user="ana@acme.io"} 3040.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="cache_write",user="ana@acme.io"} 70.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="input",user="ana@acme.io"} 1100.0
                cursor_usage_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="output",user="ana@acme.io"} 450.0
                cursor_usage_tokens_total{actor="human",location="London",model="gpt-5.2",team="Payments",token_type="cache_read",user="bo@acme.io"} 80.0
                cursor_usage_tokens_total{actor="human",location="London",model="gpt-5.2",team="Payments",token_type="cache_write",user="bo@acme.io"} 60.0
                cursor_usage_tokens_total{actor="human",location="London",model="gpt-5.2",team="Payments",token_type="input",user="bo@acme.io"} 200.0
                cursor_usage_tokens_total{actor="human",location="London",model="gpt-5.2",team="Payments",token_type="output",user="bo@acme.io"} 400.0
                cursor_usage_tokens_total{actor="human",location="unknown",model="default",team="unassigned",token_type="cache_read",user="unknown"} 0.0
                cursor_usage_tokens_total{actor="human",location="unknown",model="default",team="unassigned",token_type="cache_write",user="unknown"} 0.0
                cursor_usage_tokens_total{actor="human",location="unknown",model="default",team="unassigned",token_type="input",user="unknown"} 10.0
                cursor_usage_tokens_total{actor="human",location="unknown",model="default",team="unassigned",token_type="output",user="unknown"} 20.0
                cursor_usage_withdrawn_cost_usd_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.2
                cursor_usage_withdrawn_requests_total{actor="human",billing="usage_based",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 1.0
                cursor_usage_withdrawn_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="cache_read",user="ana@acme.io"} 0.0
                cursor_usage_withdrawn_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="cache_write",user="ana@acme.io"} 0.0
                cursor_usage_withdrawn_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="input",user="ana@acme.io"} 0.0
                cursor_usage_withdrawn_tokens_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",token_type="output",user="ana@acme.io"} 0.0
                """, GroupExposition.of(new UsageMetrics(store, Freshness.defaults())).samples());
    }

    @Test
    void withoutTheUserLabelMembersOfOneTeamAndLocationAreSummed() {
        LocalDate day = LocalDate.of(2026, 3, 10);
        MetricsFixture.events(store, MetricsFixture.ACCOUNT, day, day, List.of(
                charged(at(2026, 3, 10, 9), ANA, "gpt-5.2", "12.5"),
                charged(at(2026, 3, 10, 10), DEE, "gpt-5.2", "0.25")));
        String samples = GroupExposition.of(new UsageMetrics(store, Freshness.defaults()), MetricsFixture.DIRECTORY,
                UserLabelMode.NONE, MetricsFixture.ACCOUNT).samples();
        assertEquals("""
                cursor_usage_cost_usd_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform"} 0.1275
                cursor_usage_requests_total{actor="human",billing="usage_based",location="Berlin",model="gpt-5.2",team="Platform"} 2.0
                """, samples.lines().filter(l -> !l.startsWith("cursor_usage_tokens")).map(l -> l + "\n")
                .reduce("", String::concat));
    }

    @Test
    void withSeveralAccountsEverySeriesCarriesItsAccount() {
        LocalDate day = LocalDate.of(2026, 3, 10);
        MetricsFixture.events(store, "eu", day, day, List.of(charged(at(2026, 3, 10, 9), ANA, "gpt-5.2", "1")));
        MetricsFixture.events(store, "us", day, day, List.of(charged(at(2026, 3, 10, 9), ANA, "gpt-5.2", "2")));
        String samples = GroupExposition.of(new UsageMetrics(store, Freshness.defaults()), MetricsFixture.DIRECTORY,
                UserLabelMode.EMAIL, "eu", "us").samples();
        assertEquals("""
                cursor_usage_cost_usd_total{account="eu",actor="human",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.01
                cursor_usage_cost_usd_total{account="us",actor="human",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.02
                """, samples.lines().filter(l -> l.startsWith("cursor_usage_cost")).map(l -> l + "\n")
                .reduce("", String::concat));
    }

    @Test
    void helpSaysHowOftenUsageEventsArePolledAsConfigured() {
        MetricsFixture.usage(store);
        GroupExposition e = GroupExposition.of(new UsageMetrics(store,
                new Freshness(Map.of(Source.USAGE_EVENTS, Duration.ofMinutes(5)))));
        assertEquals("Cost in USD of Cursor usage events: chargedCents, else tokenUsage.totalCents + cursorTokenFee; 0"
                + " for Not Charged kinds. actor: human, cloud_agent, automation or service_account, from the event's"
                + " caller fields (a service account without e-mail is user=\"sa:<name or id>\"). Summed over the event days stored from the counter epoch (the first"
                + " backfill's first day) on; refreshed after each usage_events poll (every 5 minutes).",
                e.help("cursor_usage_cost_usd_total"));
        assertEquals("# TYPE cursor_usage_withdrawn_tokens_total counter", e.text().lines()
                .filter(l -> l.startsWith("# TYPE cursor_usage_withdrawn_tokens")).findFirst().orElseThrow());
    }

    /**
     * The caller fields become the actor label, never a series per run; a service account without e-mail is a user
     * of its own; every actor of a member is a series of its own, and their sum is the member's total.
     */
    @Test
    void agentsAutomationsAndServiceAccountsAreActorsAndTheirSumIsTheTotal() {
        LocalDate day = LocalDate.of(2026, 3, 10);
        MetricsFixture.events(store, MetricsFixture.ACCOUNT, day, day, List.of(
                charged(at(2026, 3, 10, 9), ANA, "gpt-5.2", "10"),
                charged(at(2026, 3, 10, 10), ANA, "gpt-5.2", "20", Actor.CLOUD_AGENT, null),
                charged(at(2026, 3, 10, 11), ANA, "gpt-5.2", "30", Actor.AUTOMATION, null),
                charged(at(2026, 3, 10, 12), ANA, "gpt-5.2", "40", Actor.SERVICE_ACCOUNT, "ci-bot"),
                charged(at(2026, 3, 10, 13), null, "gpt-5.2", "50", Actor.SERVICE_ACCOUNT, "CI-Bot"),
                charged(at(2026, 3, 10, 14), null, "gpt-5.2", "60", Actor.SERVICE_ACCOUNT, null)));
        String samples = GroupExposition.of(new UsageMetrics(store, Freshness.defaults())).samples();
        assertEquals("""
                cursor_usage_cost_usd_total{actor="automation",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.3
                cursor_usage_cost_usd_total{actor="cloud_agent",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.2
                cursor_usage_cost_usd_total{actor="human",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.1
                cursor_usage_cost_usd_total{actor="service_account",location="Berlin",model="gpt-5.2",team="Platform",user="ana@acme.io"} 0.4
                cursor_usage_cost_usd_total{actor="service_account",location="unknown",model="gpt-5.2",team="unassigned",user="sa:ci-bot"} 0.5
                cursor_usage_cost_usd_total{actor="service_account",location="unknown",model="gpt-5.2",team="unassigned",user="unknown"} 0.6
                """, samples.lines().filter(l -> l.startsWith("cursor_usage_cost")).map(l -> l + "\n")
                .reduce("", String::concat));
        assertEquals(6, samples.lines().filter(l -> l.startsWith("cursor_usage_requests")).count());

        // hash mode: the service account's key is hashed like an e-mail; unknown stays unknown
        UserLabeler hashed = new UserLabeler(UserLabelMode.HASH, Optional.of(new Secret("pepper")));
        String pseudonym = hashed.label("sa:ci-bot").orElseThrow();
        String hashedSamples = GroupExposition.of(new UsageMetrics(store, Freshness.defaults()),
                MetricsFixture.DIRECTORY, hashed, MetricsFixture.ACCOUNT).samples();
        assertTrue(pseudonym.startsWith("u_"), pseudonym);
        assertTrue(hashedSamples.contains("user=\"" + pseudonym + "\""), hashedSamples);
        assertFalse(hashedSamples.contains("sa:ci-bot"), hashedSamples);
    }
}
