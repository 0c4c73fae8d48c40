package dev.cursorexporter.metrics;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import io.prometheus.metrics.expositionformats.ExpositionFormats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One metric group built alone and written in the Prometheus text format as {@code /metrics} writes it, without
 * the families the composition adds (series cap, dropped series), so a group's test asserts exactly its exposition.
 */
final class GroupExposition {
    private final String text;

    private GroupExposition(String text) {
        this.text = text;
    }

    static GroupExposition of(MetricGroup group, Directory directory, UserLabelMode mode, String... accounts) {
        return of(group, directory, new UserLabeler(mode, Optional.empty()), accounts);
    }

    static GroupExposition of(MetricGroup group, Directory directory, UserLabeler labeler, String... accounts) {
        SnapshotBuilder builder = new SnapshotBuilder(List.of(group), List.of(accounts), () -> directory,
                labeler, MetricsFixture.CLOCK, TestSnapshots.DEFAULT_LIMITS, null);
        MetricsSnapshot all = builder.build();
        MetricsSnapshot mine = new MetricsSnapshot(all.families().stream()
                .filter(f -> group.names().contains(f.name())).toList(), all.builtAt());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, ClientSnapshots.of(mine.families()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GroupExposition(out.toString(StandardCharsets.UTF_8));
    }

    static GroupExposition of(MetricGroup group) {
        return of(group, MetricsFixture.DIRECTORY, UserLabelMode.EMAIL, MetricsFixture.ACCOUNT);
    }

    /** The whole text, HELP and TYPE lines included. */
    String text() {
        return text;
    }

    /** The sample lines only, one per line, in exposition order (families by name, series by labels). */
    String samples() {
        return text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
    }

    /** The HELP text of one family as exposed (counters with {@code _total}). */
    String help(String exposedName) {
        String prefix = "# HELP " + exposedName + " ";
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no HELP for " + exposedName + " in\n" + text));
    }
}
