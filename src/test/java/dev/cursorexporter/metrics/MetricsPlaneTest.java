package dev.cursorexporter.metrics;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The composition around the groups: the names a snapshot holds are the groups' declared names (and a group that
 * adds an undeclared family fails its build), the exporter's own Micrometer meters never take one of them, a
 * series no exposition can carry is dropped and counted, and a failed rebuild keeps the last good snapshot.
 */
class MetricsPlaneTest {
    private static final UserLabeler EMAIL = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());

    @TempDir
    Path dir;

    @Test
    void theSnapshotHoldsExactlyTheDeclaredNamesAndNoMicrometerMeterTakesOne() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.all(store);
            SnapshotBuilder builder = TestSnapshots.builder(store, List.of(MetricsFixture.ACCOUNT),
                    () -> MetricsFixture.DIRECTORY, EMAIL, MetricsFixture.CLOCK);
            MetricsPlane plane = new MetricsPlane(builder, "test", "live");
            plane.refresh();
            // every meter of the exporter's own part, registered
            ApiCallListener calls = plane.apiCallCounter();
            calls.onCall("/teams/spend", "200");
            calls.onRejected("usage_events", "negative", 2);
            plane.directoryReloadListener().loaded("success", 3, 1);
            plane.pollerGauge("acme", () -> true);

            assertEquals(new TreeSet<>(builder.names()), families(plane.current()));
            MetricsPlane.Scrape scrape = plane.scrape(null);
            Set<String> snapshotPart = exposedFamilies(scrape.snapshotPart());
            Set<String> ownPart = exposedFamilies(scrape.ownPart());
            assertTrue(builder.names().containsAll(snapshotPart), snapshotPart.toString());
            assertTrue(ownPart.containsAll(Set.of("cursor_exporter_api_requests", "cursor_exporter_rejected_rows",
                    "cursor_exporter_directory_reloads", "cursor_exporter_directory_entries",
                    "cursor_exporter_build_info", "cursor_exporter_snapshot_failures", "cursor_exporter_poller")),
                    ownPart.toString());
            assertTrue(text(scrape.ownPart()).contains("cursor_exporter_poller{account=\"acme\"} 1.0"),
                    text(scrape.ownPart()));
            Set<String> shared = new TreeSet<>(ownPart);
            shared.retainAll(builder.names());
            assertEquals(Set.of(), shared, "a Micrometer meter must not take a snapshot name");
        }
    }

    @Test
    void theOwnPartHasTheStandardMetricsTheRevisionAndTheReloadState() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            SnapshotBuilder builder = TestSnapshots.builder(store, List.of(MetricsFixture.ACCOUNT),
                    () -> MetricsFixture.DIRECTORY, EMAIL, MetricsFixture.CLOCK);
            MetricsPlane plane = new MetricsPlane(builder, "1.2.3", "0123abc", "live");
            MetricsPlane.ConfigReloadListener reloads = plane.configReloadListener(Instant.ofEpochSecond(1000));
            String own = text(plane.scrape(null).ownPart());
            assertTrue(exposedFamilies(plane.scrape(null).ownPart()).containsAll(Set.of("process_cpu_seconds",
                    "process_resident_memory_bytes", "process_start_time_seconds", "jvm_memory_used_bytes",
                    "jvm_threads_current", "jvm_gc_collection_seconds", "jvm_runtime_info")), own);
            assertTrue(own.contains("cursor_exporter_build_info{mode=\"live\",revision=\"0123abc\","
                    + "version=\"1.2.3\"} 1"), own);
            assertTrue(own.contains("cursor_exporter_config_last_reload_successful 1.0"), own);
            assertTrue(own.contains("cursor_exporter_config_last_reload_success_timestamp_seconds 1000.0"), own);

            reloads.reloaded(false, Instant.ofEpochSecond(2000));
            own = text(plane.scrape(null).ownPart());
            assertTrue(own.contains("cursor_exporter_config_last_reload_successful 0.0"), own);
            assertTrue(own.contains("cursor_exporter_config_last_reload_success_timestamp_seconds 1000.0"),
                    "a refused reload is no success");
            reloads.reloaded(true, Instant.ofEpochSecond(3000));
            own = text(plane.scrape(null).ownPart());
            assertTrue(own.contains("cursor_exporter_config_last_reload_successful 1.0"), own);
            assertTrue(own.contains("cursor_exporter_config_last_reload_success_timestamp_seconds 3000.0"), own);
        }
    }

    @Test
    void aGroupThatAddsAnUndeclaredFamilyFailsTheBuild() {
        MetricGroup sloppy = group(List.of("cursor_test_declared"), d -> {
            d.gauge("cursor_test_declared", "declared", List.of());
            d.gauge("cursor_test_undeclared", "not declared", List.of());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder(sloppy).build());
        assertTrue(e.getMessage().contains("cursor_test_undeclared"), e.getMessage());
    }

    @Test
    void twoGroupsCannotDeclareTheSameName() {
        MetricGroup one = group(List.of(SnapshotDraft.CAPPED_SERIES), d -> { });
        assertThrows(IllegalArgumentException.class, () -> builder(one));
    }

    @Test
    void aSeriesNoExpositionCanCarryIsDroppedAndCounted() {
        MetricGroup bad = group(List.of("cursor_test_lines"), d -> {
            FamilyBuilder lines = d.counter("cursor_test_lines", "lines", List.of("user"));
            lines.add(List.of("a@x.io"), 5);
            lines.add(List.of("b@x.io"), -3); // a negative counter, as a store from before the boundary checks
        });
        MetricsSnapshot snapshot = builder(bad).build();
        assertEquals(List.of(new MetricFamily.Sample(List.of("a@x.io"), 5)),
                snapshot.family("cursor_test_lines").orElseThrow().samples());
        assertEquals(List.of(new MetricFamily.Sample(List.of("cursor_test_lines"), 1)),
                snapshot.family(SnapshotDraft.DROPPED_SERIES).orElseThrow().samples());
    }

    @Test
    void aFailedRebuildKeepsTheLastGoodSnapshotAndIsCounted() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        MetricGroup flaky = group(List.of("cursor_test_up"), d -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            d.gauge("cursor_test_up", "up", List.of()).add(List.of(), 1);
        });
        MetricsPlane plane = new MetricsPlane(builder(flaky), "test", "live");
        plane.refresh();
        MetricsSnapshot good = plane.current();
        String goodBody = text(plane.scrape(null).snapshotPart());
        assertTrue(goodBody.contains("cursor_test_up 1.0"), goodBody);

        failure.set(new IllegalStateException("store is locked"));
        plane.refresh();
        assertEquals(good, plane.current());
        MetricsPlane.Scrape after = plane.scrape(null);
        assertEquals(goodBody, text(after.snapshotPart()));
        assertTrue(text(after.ownPart()).contains("cursor_exporter_snapshot_failures_total 1.0"),
                text(after.ownPart()));
    }

    @Test
    void builtOnlyOnceASnapshotFromTheStoreIsServed() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>(new IllegalStateException("store is locked"));
        MetricGroup flaky = group(List.of("cursor_test_up"), d -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            d.gauge("cursor_test_up", "up", List.of()).add(List.of(), 1);
        });
        MetricsPlane plane = new MetricsPlane(builder(flaky), "test", "live");
        String builtAt = "cursor_exporter_snapshot_built_timestamp_seconds ";
        assertFalse(plane.built(), "nothing built before the first refresh");
        assertEquals("", text(plane.scrape(null).snapshotPart()), "only the exporter's own meters are served");
        assertTrue(text(plane.scrape(null).ownPart()).contains(builtAt + "NaN"), "no build time before a build");
        plane.refresh();
        assertFalse(plane.built(), "a failed first build is not a built snapshot");
        assertTrue(text(plane.scrape(null).ownPart()).contains(builtAt + "NaN"), "a failed build has no build time");
        failure.set(null);
        plane.refresh();
        assertTrue(plane.built());
        String expected = builtAt + (double) MetricsFixture.CLOCK.instant().getEpochSecond();
        assertTrue(text(plane.scrape(null).ownPart()).contains(expected), text(plane.scrape(null).ownPart()));
        failure.set(new IllegalStateException("store is locked"));
        plane.refresh();
        assertTrue(plane.built(), "a later failure keeps serving the last good snapshot");
        assertTrue(text(plane.scrape(null).ownPart()).contains(expected), "and tells when that one was built");
        assertFalse(text(plane.scrape(null).ownPart()).contains("cursor_exporter_snapshot_build_duration_seconds NaN"));
    }

    private static SnapshotBuilder builder(MetricGroup group) {
        return new SnapshotBuilder(List.of(group), List.of("default"), () -> Directory.EMPTY, EMAIL,
                MetricsFixture.CLOCK, new SeriesLimits(100, 100, 100), null);
    }

    private static MetricGroup group(List<String> names, Consumer<SnapshotDraft> addTo) {
        return new MetricGroup() {
            @Override
            public List<String> names() {
                return names;
            }

            @Override
            public void addTo(SnapshotDraft draft) {
                addTo.accept(draft);
            }
        };
    }

    private static Set<String> families(MetricsSnapshot snapshot) {
        Set<String> names = new TreeSet<>();
        snapshot.families().forEach(f -> names.add(f.name()));
        return names;
    }

    /** Family names of a text exposition, counters without {@code _total} as the snapshot names them. */
    private static Set<String> exposedFamilies(byte[] body) {
        List<String> names = new ArrayList<>();
        for (String line : text(body).split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                names.add(p[1].equals("counter") ? p[0].replaceFirst("_total$", "") : p[0]);
            }
        }
        return new TreeSet<>(names);
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
