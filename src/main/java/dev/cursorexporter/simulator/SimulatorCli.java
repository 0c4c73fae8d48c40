package dev.cursorexporter.simulator;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar cursor-exporter.jar simulate [options]}: runs the simulator standalone until interrupted.
 */
public final class SimulatorCli {
    static final String USAGE = String.join("\n",
            "Usage: cursor-exporter simulate [options]",
            "Serves a synthetic Cursor team Admin API (demo data, tests, benchmarks).",
            "  --port P                  TCP port, 0 = any free port (default 0)",
            "  --host H                  bind address (default 127.0.0.1)",
            "  --users N                 current team members (default 40)",
            "  --days D                  days of history ending today (default 90)",
            "  --profile NAME            docs-latest | observed-2026-01 (default docs-latest)",
            "  --seed S                  random seed (default 42)",
            "  --api-key K               accepted API key (default sim-key)",
            "  --no-rate-limits          do not enforce Cursor's per-minute limits",
            "  --admin-rate-limit N      admin requests per minute (default 20)",
            "  --events-rate-limit N     usage-event requests per minute (default 60)",
            "  --retry-after             send Retry-After with 429 answers",
            "  --accept-bearer           also accept 'Authorization: Bearer <key>'",
            "  --error-rate F            fraction 0..1 of requests answered 500/502/503 (default 0)",
            "  --removed listed|absent   how removed members appear in /teams/members (default listed)",
            "  --retention-days N        serve only the last N days of usage, 0 = all (default 0)",
            "  --max-range-days N        longest date range accepted (default 30)",
            "  --max-events-page-size N  largest usage-events pageSize accepted (default 1000)",
            "  --frozen                  freeze 'now' at start instead of following the wall clock",
            "  --enterprise MODE         on | off (401 as observed) | off-docs (403) for groups, Analytics, AI code (default on)",
            "  --faults SPEC             fractions of requests to fail, e.g. 5xx=0.2,429=0.1,truncate=0.05,slow=0.05",
            "                            (5xx: 500/502/503; 429: rate-limited below the limit; truncate: body cut",
            "                            mid-JSON; slow: held back by --slow-delay)",
            "  --slow-delay D            how long a slow answer waits, e.g. 90s (default 90s)",
            "  --latency D               added to every answer, e.g. 200ms (default 0ms)",
            "  --rate-limit-window D     length of the rate-limit window (default 1m)",
            "  --restate-days N          recent days (today included) a restatement raises (default 2)",
            "  --restate-at INSTANT      ISO-8601 time after which those days are restated (default never)",
            "  -h, --help                show this help");

    private SimulatorCli() {
    }

    /** Runs until the JVM is interrupted (Ctrl-C). Returns 0 after a clean stop, 2 for bad arguments, 1 otherwise. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** As {@link #run(String[])}, printing to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "simulator-shutdown"));
        return run(args, out, err, stop::await);
    }

    /** Blocks the caller until the simulator should stop. */
    @FunctionalInterface
    interface StopSignal {
        void await() throws InterruptedException;
    }

    static int run(String[] args, PrintStream out, PrintStream err, StopSignal stopSignal) {
        SimulatorOptions options;
        try {
            options = parse(args);
        } catch (HelpRequested help) {
            out.println(USAGE);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Simulator sim;
        try {
            sim = Simulator.start(options);
        } catch (RuntimeException e) {
            err.println("simulate: cannot start the simulator on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage());
            return 1;
        }
        try (sim) {
            out.println("Cursor API simulator listening on " + sim.baseUrl() + " (profile " + options.profile().id()
                    + ", " + options.users() + " users, " + options.days() + " days, seed " + options.seed() + ")");
            out.println("API key: " + sim.apiKey() + " (HTTP Basic user name, empty password)");
            out.println("Totals: " + sim.baseUrl() + "/_simulator/totals   Directory: " + sim.baseUrl()
                    + "/_simulator/directory.csv");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            stopSignal.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Thrown by {@link #parse} for {@code -h}/{@code --help}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help", null, false, false);
        }
    }

    /**
     * Parses the arguments after {@code simulate} (a leading {@code simulate} is skipped). Accepts
     * {@code --name value} and {@code --name=value}.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad option
     */
    public static SimulatorOptions parse(String[] args) {
        SimulatorOptions.Builder b = SimulatorOptions.builder();
        int i = args.length > 0 && args[0].equals("simulate") ? 1 : 0;
        for (; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--no-rate-limits" -> b.rateLimits(flag(name, inline));
                case "--retry-after" -> b.retryAfter(flag(name, inline));
                case "--accept-bearer" -> b.acceptBearer(flag(name, inline));
                case "--frozen" -> b.live(!flag(name, inline));
                default -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    apply(b, name, value);
                }
            }
        }
        return b.build();
    }

    private static boolean flag(String name, String inline) {
        if (inline != null) {
            throw new IllegalArgumentException(name + " takes no value");
        }
        // --no-rate-limits means rateLimits(false); every other flag switches its knob on.
        return !name.equals("--no-rate-limits");
    }

    private static void apply(SimulatorOptions.Builder b, String name, String value) {
        switch (name) {
            case "--port" -> b.port(integer(name, value));
            case "--host" -> b.host(value);
            case "--users" -> b.users(integer(name, value));
            case "--days" -> b.days(integer(name, value));
            case "--profile" -> b.profile(Profile.fromId(value));
            case "--seed" -> b.seed(longValue(name, value));
            case "--api-key" -> b.apiKey(value);
            case "--admin-rate-limit" -> b.adminRequestsPerMinute(integer(name, value));
            case "--events-rate-limit" -> b.eventsRequestsPerMinute(integer(name, value));
            case "--error-rate" -> b.errorRate(decimal(name, value));
            case "--removed" -> b.removedMembers(RemovedMembers.fromId(value));
            case "--retention-days" -> b.retentionDays(integer(name, value));
            case "--max-range-days" -> b.maxRangeDays(integer(name, value));
            case "--max-events-page-size" -> b.maxEventsPageSize(integer(name, value));
            case "--enterprise" -> b.enterprise(EnterpriseMode.fromId(value));
            case "--faults" -> FaultSpec.apply(value, b, b.build());
            case "--slow-delay" -> b.faults(b.build().faults().withSlowDelay(FaultSpec.duration(name, value)));
            case "--latency" -> b.faults(b.build().faults().withLatency(FaultSpec.duration(name, value)));
            case "--rate-limit-window" -> b.rateLimitWindow(FaultSpec.duration(name, value));
            case "--restate-days" -> b.restateDays(integer(name, value));
            case "--restate-at" -> b.restateAt(instant(name, value));
            default -> throw new IllegalArgumentException("unknown option " + name);
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects an integer, got '" + value + "'");
        }
    }

    private static java.time.Instant instant(String name, String value) {
        try {
            return java.time.Instant.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " expects an ISO-8601 instant like 2026-03-02T12:00:00Z, got '"
                    + value + "'");
        }
    }

    private static long longValue(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects an integer, got '" + value + "'");
        }
    }

    private static double decimal(String name, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got '" + value + "'");
        }
    }
}
