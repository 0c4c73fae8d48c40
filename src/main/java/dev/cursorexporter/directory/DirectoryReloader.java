package dev.cursorexporter.directory;

import dev.cursorexporter.model.DirectoryRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The current {@link Directory}, rebuilt when the CSV file changes (modification time or size, checked on a
 * schedule) without a restart. Problem rows are logged with their line numbers and the rest applies; a file that
 * cannot be read at all keeps the previous directory. A configuration reload replaces the file, the rules and the
 * billing-group layer together ({@link #reconfigure}). Thread-safe.
 */
public final class DirectoryReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryReloader.class);

    /** Told about every load: {@code result} is success or error; entries and problem rows of the file. */
    @FunctionalInterface
    public interface Listener {
        void loaded(String result, int entries, int problems);
    }

    private record Stamp(FileTime modified, long size) {
    }

    /** What the directory is made of; replaced as a whole by a configuration reload. */
    private record Setup(Optional<Path> file, List<DirectoryRule> rules,
                         Function<String, Optional<String>> billingGroupTeam) {
        Setup {
            rules = List.copyOf(rules);
        }
    }

    private volatile Setup setup;
    private final AtomicReference<Directory> current = new AtomicReference<>();
    private volatile Stamp stamp;
    private volatile int lastEntries;
    private volatile int lastProblems;
    private volatile Listener listener = (result, entries, problems) -> { };
    private volatile Runnable onChange = () -> { };
    private ScheduledExecutorService scheduler;
    private Duration every;

    /**
     * Loads the file once.
     *
     * @throws IOException when the file cannot be read at all (the exporter refuses to start on it)
     */
    public DirectoryReloader(Optional<Path> file, List<DirectoryRule> rules,
                             Function<String, Optional<String>> billingGroupTeam) throws IOException {
        load(new Setup(file, rules, billingGroupTeam));
    }

    /** Reads {@code next}'s file and only then makes it current, so a file that cannot be read changes nothing. */
    private void load(Setup next) throws IOException {
        if (next.file().isEmpty()) {
            setup = next;
            current.set(new LayeredDirectory(Optional.empty(), next.rules(), next.billingGroupTeam()));
            stamp = null;
            lastEntries = 0;
            lastProblems = 0;
        } else {
            Stamp before = stampOf(next.file().get());
            DirectoryLoad load = CsvDirectory.load(next.file().get());
            setup = next;
            apply(load, before);
        }
    }

    /**
     * Replaces file, rules and billing-group layer (a configuration reload): the new file is read first, and when it
     * cannot be read at all nothing changes. Starts checking a file that is newly configured.
     *
     * @throws IOException when the new file cannot be read at all (the reload is refused)
     */
    public synchronized void reconfigure(Optional<Path> file, List<DirectoryRule> rules,
                                         Function<String, Optional<String>> billingGroupTeam) throws IOException {
        load(new Setup(file, rules, billingGroupTeam));
        file.ifPresent(f -> listener.loaded("success", lastEntries, lastProblems));
        if (every != null) {
            startChecks();
        }
    }

    public Directory current() {
        return current.get();
    }

    /**
     * Checks the file every {@code every} on a daemon thread; reports the initial load to {@code listener} at once.
     *
     * @param onChange run after a successful reload (e.g. rebuild the metrics snapshot)
     */
    public synchronized void start(Duration every, Listener listener, Runnable onChange) {
        this.listener = Objects.requireNonNull(listener);
        this.onChange = Objects.requireNonNull(onChange);
        this.every = every;
        setup.file().ifPresent(f -> listener.loaded("success", lastEntries, lastProblems));
        startChecks();
    }

    private void startChecks() {
        if (setup.file().isPresent() && scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "directory-reload");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::checkNow, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reloads when the file's modification time or size changed; returns whether it did. */
    public synchronized boolean checkNow() {
        Optional<Path> file = setup.file();
        if (file.isEmpty()) {
            return false;
        }
        Path path = file.get();
        try {
            Stamp now = stampOf(path);
            if (now.equals(stamp)) {
                return false;
            }
            apply(CsvDirectory.load(path), now);
            LOG.info("directory: reloaded {} ({} entries, {} problem rows)", path, lastEntries, lastProblems);
            listener.loaded("success", lastEntries, lastProblems);
            onChange.run();
            return true;
        } catch (IOException | RuntimeException e) {
            // keep serving the previous directory; try again when the file changes
            LOG.warn("directory: reload failed, keeping the previous one: {}", e.getMessage());
            try {
                stamp = stampOf(path);
            } catch (IOException ignored) {
                stamp = null;
            }
            listener.loaded("error", lastEntries, lastProblems);
            return false;
        }
    }

    private void apply(DirectoryLoad load, Stamp loadedStamp) {
        load.problems().forEach(p -> LOG.warn("directory: {}", p));
        CsvDirectory csv = load.directory();
        current.set(new LayeredDirectory(Optional.of(csv), setup.rules(), setup.billingGroupTeam()));
        lastEntries = csv.size();
        lastProblems = load.problems().size();
        stamp = loadedStamp;
    }

    private static Stamp stampOf(Path path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read directory file '" + path + "': no such file", e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
