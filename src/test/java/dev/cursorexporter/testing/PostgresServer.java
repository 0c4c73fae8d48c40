package dev.cursorexporter.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests, made from the binaries of Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin/initdb} and {@code pg_ctl}): one cluster per test JVM in a temporary
 * directory, on a free loopback port, with password (SCRAM) authentication, started at first use and stopped and
 * deleted when the JVM exits. No system service is involved. Each test asks for a {@link #freshDatabase() database
 * of its own}.
 *
 * <p>initdb refuses to run as root: as root, the cluster is made and run as the package's {@code postgres} user
 * (through {@code runuser}). A test is skipped when the binaries are missing on a developer machine, and fails when
 * they are missing in CI ({@code CI=true}), where .ci/run installs them.
 */
public final class PostgresServer {
    /** The cluster's superuser, which the tests connect as. */
    public static final String USER = "cursor_test";
    /** Its password (the server asks for it: scram-sha-256 on every connection). */
    public static final String PASSWORD = "pg-test-Secret-4711";

    private static final String INSTALL = "PostgreSQL's server binaries are not installed "
            + "(Debian: apt-get install --no-install-recommends postgresql)";
    private static PostgresServer instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final Optional<String> runAs;

    private PostgresServer(Path bin, Path dir, int port, Optional<String> runAs) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.runAs = runAs;
    }

    /** The running server, started at the first call; skipped outside CI / failed in CI when not installed. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            Optional<Path> bin = binaries();
            if (bin.isEmpty()) {
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(INSTALL + "; CI must have them (.ci/run installs them)");
                }
                Assumptions.abort(INSTALL);
            }
            instance = start(bin.get());
        }
        return instance;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} holding initdb and pg_ctl. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static PostgresServer start(Path bin) {
        boolean root = "root".equals(System.getProperty("user.name"));
        Optional<String> runAs = root ? Optional.of("postgres") : Optional.empty();
        try {
            Path dir = Files.createTempDirectory("cursor-exporter-pg-");
            Path data = dir.resolve("data");
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
            if (runAs.isPresent()) {
                // the temporary directory is root's 0700: hand it to the server's user
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                run(List.of("chown", "-R", runAs.get(), dir.toString()), 30);
            }
            int port = freePort();
            PostgresServer server = new PostgresServer(bin, dir, port, runAs);
            server.runAsServerUser(60, bin.resolve("initdb").toString(), "--pgdata=" + data, "--username=" + USER,
                    "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync");
            Files.deleteIfExists(pwfile);
            // Throw-away data: no fsync; the socket lives in the cluster's own directory, TCP on loopback only.
            String options = "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories=" + dir
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100";
            server.runAsServerUser(60, bin.resolve("pg_ctl").toString(), "--pgdata=" + data, "--wait",
                    "--timeout=60", "--log=" + dir.resolve("server.log"), "-o", options, "start");
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-test-server-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database of this server; its JDBC URL, naming the user ({@code ?user=}) but not the password. */
    public String freshDatabase() {
        return create("");
    }

    /**
     * A new database copied from {@code template} (the URL of a database of this server that nobody is connected
     * to), e.g. one migrated once for many tests: copying is much faster than migrating again.
     */
    public String copyOf(String template) {
        String name = template.substring(template.lastIndexOf('/') + 1);
        int query = name.indexOf('?');
        return create(" TEMPLATE " + (query < 0 ? name : name.substring(0, query)));
    }

    private String create(String clause) {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + clause);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + url("postgres"), e);
        }
        return url(name) + "?user=" + USER;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    private void stop() {
        try {
            runAsServerUser(60, bin.resolve("pg_ctl").toString(), "--pgdata=" + dir.resolve("data"), "--wait",
                    "-m", "immediate", "stop");
        } catch (RuntimeException | AssertionError e) {
            System.err.println("stopping the test PostgreSQL server: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private void runAsServerUser(long timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(List.of(command));
        run(full, timeoutSeconds);
    }

    private static void run(List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
                        + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
