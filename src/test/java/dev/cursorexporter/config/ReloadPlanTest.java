package dev.cursorexporter.config;

import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.DirectoryRule;
import dev.cursorexporter.model.Secret;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a reload applies and what waits for a restart, decided between two configurations. */
class ReloadPlanTest {
    private static final URI CURSOR = URI.create("https://api.cursor.com");
    private static final ExporterConfig RUNNING = ExporterConfig.builder()
            .accounts(List.of(new AccountConfig("default", new Secret("key-1"), CURSOR)))
            .budgets(new Budgets(Optional.empty(), Map.of("Platform", new BigDecimal("500"))))
            .authToken(Optional.of(new Secret("token-1")))
            .build();

    @Test
    void reloadableChangesApplyAndNothingNeedsARestart() {
        ExporterConfig loaded = RUNNING.toBuilder()
                .budgets(new Budgets(Optional.of(BigDecimal.TEN), Map.of("Platform", new BigDecimal("750"))))
                .directoryFile(Optional.of(Path.of("/etc/directory.csv")))
                .directoryRules(List.of(DirectoryRule.domain("acme.com", Optional.of("Acme"), Optional.empty())))
                .teamSource(TeamSource.BILLING_GROUPS)
                .authToken(Optional.of(new Secret("token-2")))
                .accounts(List.of(new AccountConfig("default", new Secret("key-2"), CURSOR)))
                .build();
        ReloadPlan plan = ReloadPlan.between(RUNNING, loaded);
        assertEquals(List.of(), plan.needsRestart());
        assertEquals(List.of("budgets", "directory.file", "directory.rules", "directory.team_source",
                "server.auth_token", "api key of account default"), plan.changed());
        assertEquals(loaded, plan.merge(RUNNING, loaded), "everything that changed is reloadable");
    }

    @Test
    void theSameRulesReadAgainAreNoChange() {
        ExporterConfig once = RUNNING.toBuilder().directoryRules(List.of(
                DirectoryRule.glob("*@eu.acme.com", Optional.empty(), Optional.of("Dublin")))).build();
        ExporterConfig again = RUNNING.toBuilder().directoryRules(List.of(
                DirectoryRule.glob("*@eu.acme.com", Optional.empty(), Optional.of("Dublin")))).build();
        assertEquals(List.of(), ReloadPlan.between(once, again).changed());
        ExporterConfig other = RUNNING.toBuilder().directoryRules(List.of(
                DirectoryRule.glob("*@eu.acme.com", Optional.empty(), Optional.of("Cork")))).build();
        assertEquals(List.of("directory.rules"), ReloadPlan.between(once, other).changed());
    }

    @Test
    void aRestartOnlyChangeIsReportedOncePerKeyAndItsRunningValueKept() {
        ExporterConfig loaded = RUNNING.toBuilder().port(9500).backfillDays(90)
                .budgets(new Budgets(Optional.empty(), Map.of("Platform", new BigDecimal("750"))))
                .userLabelSalt(Optional.of(new Secret("pepper-secret")))
                .build();
        ReloadPlan plan = ReloadPlan.between(RUNNING, loaded);
        assertEquals(List.of("server.port", "sync.backfill_days", "metrics.user_label_salt"), plan.needsRestart());
        assertEquals(List.of(
                "server.port: changed from 9464 to 9500; needs a restart, the running value is kept until then",
                "sync.backfill_days: changed from 30 to 90; needs a restart, the running value is kept until then",
                "metrics.user_label_salt: changed; needs a restart, the running value is kept until then"),
                plan.restartLines());
        assertFalse(String.join("\n", plan.restartLines()).contains("pepper"), "a secret's value is never shown");
        assertEquals(List.of("budgets"), plan.changed());
        ExporterConfig next = plan.merge(RUNNING, loaded);
        assertEquals(9464, next.server().port());
        assertEquals(30, next.sync().backfillDays());
        assertEquals(Optional.empty(), next.metrics().userLabelSalt());
        assertEquals(new BigDecimal("750"), next.budgets().teams().get("Platform"));
        // the next reload of the same file compares with what runs, so it says the same again
        assertEquals(plan.needsRestart(), ReloadPlan.between(next, loaded).needsRestart());
    }

    @Test
    void accountsAndTheOtlpReceiverAreFixedButTheirSecretsAreNot() {
        ExporterConfig withOtlp = RUNNING.toBuilder()
                .otlp(new OtlpConfig(4318, Optional.of(new Secret("otlp-1")), 4L << 20)).build();
        ExporterConfig renamed = withOtlp.toBuilder()
                .accounts(List.of(new AccountConfig("acme", new Secret("key-1"), CURSOR))).build();
        assertEquals(List.of("accounts"), ReloadPlan.between(withOtlp, renamed).needsRestart());
        assertEquals(withOtlp.accounts(), ReloadPlan.between(withOtlp, renamed).merge(withOtlp, renamed).accounts());

        ExporterConfig rotated = withOtlp.toBuilder()
                .otlp(new OtlpConfig(4318, Optional.of(new Secret("otlp-2")), 4L << 20)).build();
        ReloadPlan rotation = ReloadPlan.between(withOtlp, rotated);
        assertEquals(List.of("otlp.token"), rotation.changed());
        assertEquals("otlp-2", rotation.merge(withOtlp, rotated).otlp().token().orElseThrow().reveal());

        ExporterConfig off = withOtlp.toBuilder()
                .otlp(new OtlpConfig(4318, Optional.empty(), 4L << 20)).build();
        ReloadPlan stop = ReloadPlan.between(withOtlp, off);
        assertEquals(List.of("otlp.token (set or unset)"), stop.needsRestart());
        assertTrue(stop.merge(withOtlp, off).otlp().enabled(), "the receiver keeps running with its token");
        assertEquals("otlp-1", stop.merge(withOtlp, off).otlp().token().orElseThrow().reveal());
    }

    @Test
    void anOtlpTokenThatWasNotConfiguredIsNotTakenFromTheEffectiveConfiguration() {
        // demo mode's own receiver: not configured, so a reload's freshly made token must not replace it
        ExporterConfig demoRunning = RUNNING.toBuilder()
                .otlp(new OtlpConfig(0, Optional.of(new Secret("demo-1")), 4L << 20)).build();
        ExporterConfig demoLoaded = RUNNING.toBuilder()
                .otlp(new OtlpConfig(0, Optional.of(new Secret("demo-2")), 4L << 20)).build();
        ReloadPlan plan = ReloadPlan.between(RUNNING, RUNNING);
        assertEquals("demo-1", plan.merge(demoRunning, demoLoaded).otlp().token().orElseThrow().reveal());
    }
}
