package dev.cursorexporter;

import dev.cursorexporter.config.ConfigLoader;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.directory.DirectoryReloader;
import dev.cursorexporter.directory.LayeredDirectory;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.ReloadResult;
import dev.cursorexporter.model.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reload decisions on real files, read by the real loader: a good file applies, an invalid one is refused with the
 * loader's exact problem lines and nothing changes, a restart-only change is reported and kept, an unreadable
 * directory file refuses the whole reload, and rotated secrets reach what uses them.
 */
class ConfigReloaderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path yaml;
    private Path csv;
    private Map<String, String> env;
    private final List<Boolean> reloads = new ArrayList<>();
    private final AtomicInteger applied = new AtomicInteger();

    @BeforeEach
    void files() throws IOException {
        yaml = dir.resolve("config.yaml");
        csv = dir.resolve("directory.csv");
        Files.writeString(csv, "email,team,location\nana@acme.io,Platform,Berlin\n");
        env = Map.of("CURSOR_EXPORTER_CONFIG", yaml.toString(), "CURSOR_API_KEY", "key-from-env");
    }

    private ConfigReloader reloader() throws Exception {
        ExporterConfig config = ConfigLoader.load(env);
        DirectoryReloader directory = new DirectoryReloader(config.directory().file(), config.directory().rules(),
                LayeredDirectory.NO_BILLING_GROUPS);
        ConfigReloader reloader = new ConfigReloader(config, config, () -> ConfigLoader.load(env), c -> c,
                directory, LayeredDirectory.NO_BILLING_GROUPS, CLOCK);
        reloader.start((ok, at) -> reloads.add(ok), applied::incrementAndGet);
        this.directory = directory;
        return reloader;
    }

    private DirectoryReloader directory;

    private void write(String text) throws IOException {
        Files.writeString(yaml, text);
    }

    @Test
    void aGoodFileAppliesItsBudgetsRulesAndDirectory() throws Exception {
        write("budgets:\n  teams: {Platform: 500}\ndirectory:\n  file: " + csv + "\n");
        ConfigReloader reloader = reloader();
        assertEquals("Platform", directory.current().lookup("ana@acme.io").team());

        Path other = dir.resolve("other.csv");
        Files.writeString(other, "email,team,location\nana@acme.io,Payments,London\n");
        write("budgets:\n  default: 100\n  teams: {Platform: 750}\ndirectory:\n  file: " + other + "\n  rules:\n"
                + "    - {domain: acme.io, location: Remote}\n");
        ReloadResult result = reloader.reload("test");

        assertEquals(new ReloadResult(true, List.of(), List.of("budgets", "directory.file", "directory.rules"),
                List.of()), result);
        assertEquals(new BigDecimal("750"), reloader.budgets().teams().get("Platform"));
        assertEquals(Optional.of(new BigDecimal("100")), reloader.budgets().defaultBudget());
        assertEquals("Payments", directory.current().lookup("ana@acme.io").team());
        assertEquals("Remote", directory.current().lookup("bo@acme.io").location(), "the new rule applies");
        assertEquals(List.of(true), reloads);
        assertEquals(1, applied.get(), "the snapshot is rebuilt once");
    }

    @Test
    void anInvalidFileIsRefusedWithTheLoadersProblemLinesAndTheRunningOneKept() throws Exception {
        write("budgets:\n  teams: {Platform: 500}\n");
        ConfigReloader reloader = reloader();
        ExporterConfig before = reloader.current();

        write("budgets:\n  default: lots\n  teams: [1]\nserver:\n  port: http\n");
        ReloadResult result = reloader.reload("test");

        assertFalse(result.applied());
        assertEquals(List.of("server.port: must be an integer from 1 to 65535, got 'http'",
                "budgets.default: must be a number of USD (0 or more), got 'lots'",
                "budgets.teams: must be a mapping of team to USD, got a list"), result.problems());
        assertEquals(before, reloader.current());
        assertEquals(new BigDecimal("500"), reloader.budgets().teams().get("Platform"));
        assertEquals(List.of(false), reloads);
        assertEquals(0, applied.get(), "nothing is rebuilt");

        write("budgets: [\n"); // not even YAML
        ReloadResult broken = reloader.reload("test");
        assertFalse(broken.applied());
        assertEquals(1, broken.problems().size(), broken.problems().toString());
        assertTrue(broken.problems().get(0).startsWith(yaml.toString()), broken.problems().get(0));
    }

    @Test
    void aRestartOnlyChangeIsReportedAndKeptWhileTheRestApplies() throws Exception {
        write("server:\n  port: 9464\nbudgets:\n  teams: {Platform: 500}\n");
        ConfigReloader reloader = reloader();

        write("server:\n  port: 9500\nsync:\n  backfill_days: 90\nbudgets:\n  teams: {Platform: 600}\n");
        ReloadResult result = reloader.reload("test");

        assertTrue(result.applied());
        assertEquals(List.of("server.port", "sync.backfill_days"), result.needsRestart());
        assertEquals(List.of("budgets"), result.changed());
        assertEquals(9464, reloader.current().server().port(), "the running port is kept");
        assertEquals(30, reloader.current().sync().backfillDays());
        assertEquals(new BigDecimal("600"), reloader.budgets().teams().get("Platform"));
        assertEquals(List.of("server.port", "sync.backfill_days"), reloader.reload("again").needsRestart(),
                "said again on every reload until the restart");
    }

    @Test
    void aDirectoryFileThatCannotBeReadRefusesTheReload() throws Exception {
        write("budgets:\n  teams: {Platform: 500}\ndirectory:\n  file: " + csv + "\n");
        ConfigReloader reloader = reloader();

        Path missing = dir.resolve("missing.csv");
        write("budgets:\n  teams: {Platform: 900}\ndirectory:\n  file: " + missing + "\n");
        ReloadResult result = reloader.reload("test");

        assertEquals(List.of("directory.file: cannot read '" + missing + "': no such file"),
                result.problems());
        assertEquals(new BigDecimal("500"), reloader.budgets().teams().get("Platform"), "nothing of it applies");
        assertEquals("Platform", directory.current().lookup("ana@acme.io").team());
        assertEquals(List.of(false), reloads);
    }

    @Test
    void rotatedSecretsReachTheirUsers() throws Exception {
        env = Map.of("CURSOR_EXPORTER_CONFIG", yaml.toString());
        Path token = dir.resolve("token");
        Files.writeString(token, "token-1");
        write("cursor:\n  api_key: key-1\nserver:\n  auth_token_file: " + token + "\n");
        ConfigReloader reloader = reloader();
        Secret apiKey = reloader.apiKey(reloader.current().accounts().get(0));
        assertEquals("key-1", apiKey.reveal());
        assertEquals("token-1", reloader.authToken().orElseThrow().reveal());

        Path other = dir.resolve("token-2");
        Files.writeString(other, "token-2");
        write("cursor:\n  api_key: key-2\nserver:\n  auth_token_file: " + other
                + "\n  basic_auth: {user: ops, password: pw}\n");
        ReloadResult result = reloader.reload("test");

        assertEquals(List.of("server.auth_token", "server.basic_auth", "api key of account default"),
                result.changed());
        assertEquals("token-2", reloader.authToken().orElseThrow().reveal());
        assertEquals("ops", reloader.basicAuth().orElseThrow().user());
        assertEquals("key-2", apiKey.reveal(), "the client's key follows the running configuration");
    }

    @Test
    void inDemoModeTheDerivedBudgetsGiveWayToConfiguredOnesAndTheDemoReceiverKeepsItsToken() throws Exception {
        env = Map.of("CURSOR_EXPORTER_CONFIG", yaml.toString(), "CURSOR_EXPORTER_DATA_DIR", dir.toString());
        write("metrics:\n  max_users: 100\n");
        Files.writeString(DemoMode.directoryFile(ConfigLoader.load(env)), "email,team,location\n");
        Optional<Budgets> derived = Optional.of(new Budgets(Optional.empty(), Map.of("Platform", BigDecimal.ONE)));
        ExporterConfig configured = ConfigLoader.load(env);
        ExporterConfig effective = DemoMode.effective(configured, derived);
        DirectoryReloader demoDirectory = new DirectoryReloader(effective.directory().file(),
                effective.directory().rules(), LayeredDirectory.NO_BILLING_GROUPS);
        ConfigReloader reloader = new ConfigReloader(configured, effective, () -> ConfigLoader.load(env),
                loaded -> DemoMode.effective(loaded, derived), demoDirectory, LayeredDirectory.NO_BILLING_GROUPS,
                CLOCK);
        String demoToken = reloader.otlpToken().orElseThrow().reveal();
        assertEquals(BigDecimal.ONE, reloader.budgets().teams().get("Platform"));

        write("metrics:\n  max_users: 100\nbudgets:\n  teams: {Platform: 42}\n");
        ReloadResult result = reloader.reload("test");

        assertEquals(new ReloadResult(true, List.of(), List.of("budgets"), List.of()), result);
        assertEquals(new BigDecimal("42"), reloader.budgets().teams().get("Platform"));
        assertEquals(demoToken, reloader.otlpToken().orElseThrow().reveal(), "the pusher's token stays");
        assertEquals(89, reloader.current().sync().backfillDays(), "demo mode's own settings stay");
        assertEquals(effective.directory().file(), reloader.current().directory().file());

        write("metrics:\n  max_users: 100\n");
        reloader.reload("test");
        assertEquals(BigDecimal.ONE, reloader.budgets().teams().get("Platform"), "none configured: derived again");
    }
}
