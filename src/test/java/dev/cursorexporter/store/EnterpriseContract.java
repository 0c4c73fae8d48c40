package dev.cursorexporter.store;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enterprise sources (billing groups, Analytics, AI Code Tracking, availability), whatever the database. {@link SqliteEnterpriseTest}, {@link PostgresEnterpriseContractTest}. */
abstract class EnterpriseContract extends StoreFixture {
    static final String ACME = "acme";
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final LocalDate D2 = LocalDate.of(2026, 3, 2);
    static final Instant T1 = Instant.parse("2026-03-02T10:00:00Z");


    static BillingGroups groups(String platformName, long platformCents) {
        return new BillingGroups(List.of(
                new BillingGroups.Group("g1", platformName, false, BigDecimal.valueOf(platformCents),
                        List.of(new BillingGroups.GroupMember("user_1", "dana@example.com", new BigDecimal("61.5")),
                                new BillingGroups.GroupMember("user_2", "lee@example.com", BigDecimal.ZERO)),
                        List.of(new BillingGroups.DailySpend(D1, BigDecimal.valueOf(4100)))),
                new BillingGroups.Group("unassigned", "Unassigned", true, BigDecimal.ZERO,
                        List.of(new BillingGroups.GroupMember("user_3", "ops@example.com", BigDecimal.ZERO)),
                        List.of())),
                Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    }

    @Test
    void billingGroupsAreReplacedByEachFetchAndNameTheTeamsOfTheirMembers() {
        store.enterprise().saveBillingGroups(ACME, groups("Platform", 91500), T1);
        reopen();
        assertEquals(List.of(new StoredBillingGroup("g1", "Platform", false, new BigDecimal("91500"), 2),
                new StoredBillingGroup("unassigned", "Unassigned", true, BigDecimal.ZERO, 1)),
                normalise(store.enterprise().billingGroups(ACME)));
        assertEquals(Map.of("dana@example.com", "Platform", "lee@example.com", "Platform"),
                store.enterprise().billingGroupOfMember(ACME), "members of the reserved group are left to the caller's default");
        assertEquals(Optional.of(Instant.parse("2026-04-01T00:00:00Z")), store.enterprise().billingCycleEnd(ACME));

        store.enterprise().saveBillingGroups(ACME, groups("Core Platform", 92000), T1.plusSeconds(3600));
        assertEquals("Core Platform", store.enterprise().billingGroupOfMember(ACME).get("dana@example.com"));
        assertEquals(2, store.enterprise().billingGroups(ACME).size());
        assertEquals(Map.of(), store.enterprise().billingGroupOfMember("other"), "accounts are separate");
    }

    static List<StoredBillingGroup> normalise(List<StoredBillingGroup> groups) {
        return groups.stream().map(g -> new StoredBillingGroup(g.id(), g.name(), g.unassigned(),
                g.spendCents().stripTrailingZeros().setScale(0), g.members())).toList();
    }

    @Test
    void analyticsPointsOnlyGoUpAndTheEtagIsKeptPerUrl() {
        String url = "/analytics/team/models?startDate=2026-03-01&endDate=2026-03-02";
        store.enterprise().saveAnalytics(ACME, AnalyticsMetric.MODELS, List.of(
                new AnalyticsPoint(D1, "gpt-5.2", "messages", 10),
                new AnalyticsPoint(D2, "gpt-5.2", "messages", 5),
                new AnalyticsPoint(D2, "default", "messages", 7)), D1, D2, false, url, "\"v1\"");
        // restated: D2 rises, D1 comes back lower (must not go down)
        store.enterprise().saveAnalytics(ACME, AnalyticsMetric.MODELS, List.of(
                new AnalyticsPoint(D1, "gpt-5.2", "messages", 8),
                new AnalyticsPoint(D2, "gpt-5.2", "messages", 6)), D1, D2, true, url, "\"v2\"");
        reopen();

        assertEquals(List.of(new AnalyticsTotal("default", "messages", 7), new AnalyticsTotal("gpt-5.2", "messages", 16)),
                store.enterprise().analyticsTotals(ACME, AnalyticsMetric.MODELS));
        assertEquals(List.of(), store.enterprise().analyticsTotals(ACME, AnalyticsMetric.DAU), "metrics are separate");
        assertEquals(Optional.of("\"v2\""), store.enterprise().etag(ACME, url));
        assertEquals(Optional.empty(), store.enterprise().etag(ACME, url.replace("models", "dau")));
        assertEquals(Optional.of(D2), store.enterprise().newestAnalyticsDay(ACME, AnalyticsMetric.MODELS));
        assertEquals(2, store.enterprise().analyticsDay(ACME, AnalyticsMetric.MODELS, D2).size());
        assertEquals(Set.of(D1, D2), store.coveredDays(ACME, Source.ANALYTICS));
        assertEquals(Set.of(), store.coveredDays(ACME, Source.AI_CODE));
    }

    static AiCodeCommit commit(String hash, String email, long tab, long composer, long nonAi, String ts) {
        return new AiCodeCommit(hash, "user_" + email, email, "acme/web", "main", true, "ide",
                tab + composer + nonAi, 1, tab, 0, composer, 1, nonAi, 0, Instant.parse(ts), Instant.parse(ts));
    }

    @Test
    void availabilitySurvivesARestart() {
        assertEquals(Map.of(), store.enterprise().availability(ACME));
        store.enterprise().saveAvailability(ACME, Source.ANALYTICS, new SourceAvailability(false, T1, "HTTP 401 enterprise"));
        store.enterprise().saveAvailability(ACME, Source.AI_CODE, new SourceAvailability(true, T1, null));
        reopen();
        assertEquals(Map.of(Source.ANALYTICS, new SourceAvailability(false, T1, "HTTP 401 enterprise"),
                Source.AI_CODE, new SourceAvailability(true, T1, null)), store.enterprise().availability(ACME));
        store.enterprise().saveAvailability(ACME, Source.ANALYTICS, new SourceAvailability(true, T1.plusSeconds(86_400), null));
        assertTrue(store.enterprise().availability(ACME).get(Source.ANALYTICS).available());
    }
}
