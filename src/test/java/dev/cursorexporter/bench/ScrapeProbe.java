package dev.cursorexporter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' side of the load benchmark: a process of its own that scrapes {@code /metrics} back to back over
 * one kept-alive connection with Prometheus' request headers (OpenMetrics, gzip), reading each body into one reused
 * buffer without inflating it (that is Prometheus' CPU, not the exporter's), and prints every scrape's start
 * (epoch ms) and duration (ns). Before, the harness scraped from the JVM that also ran the six Grafana clients, so their CPU
 * and that JVM's collections of their answers were timed as the exporter's scrape latency; Prometheus is a
 * process of its own and allocates nothing per byte it reads.
 */
final class ScrapeProbe {
    /** What Prometheus 2.x sends (scrape.go): OpenMetrics first, and always gzip. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private ScrapeProbe() {
    }

    /** Child process: scrapes {@code args[0]} (with gzip unless {@code args[1]} is false) until its input closes. */
    public static void main(String[] args) throws Exception {
        Thread stopper = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing; end of input is the signal to stop
                }
            } catch (IOException ignored) {
                // the parent is gone
            }
            System.exit(0);
        });
        stopper.setDaemon(true);
        stopper.start();
        URI url = URI.create(args[0]);
        boolean gzip = args.length < 2 || Boolean.parseBoolean(args[1]);
        byte[] buffer = new byte[64 * 1024];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        while (true) {
            long startMs = System.currentTimeMillis();
            long start = System.nanoTime();
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            c.setRequestProperty("Accept", PROMETHEUS_ACCEPT);
            if (gzip) {
                c.setRequestProperty("Accept-Encoding", "gzip");
            }
            int code = c.getResponseCode();
            try (InputStream in = code == 200 ? c.getInputStream() : c.getErrorStream()) {
                while (in != null && in.read(buffer) >= 0) {
                    // discard: only the time to the last byte counts
                }
            }
            long nanos = System.nanoTime() - start;
            out.println(code == 200 ? startMs + " " + nanos : "error " + code);
            out.flush();
        }
    }

    /** A running probe: its scrapes so far, each as (start epoch ms, end epoch ms, nanoseconds). */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final List<long[]> scrapes = new CopyOnWriteArrayList<>();
        private final List<String> errors = new CopyOnWriteArrayList<>();

        private Running(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        String[] parts = line.split(" ");
                        if (parts[0].equals("error")) {
                            errors.add(line);
                        } else {
                            long startMs = Long.parseLong(parts[0]);
                            long nanos = Long.parseLong(parts[1]);
                            scrapes.add(new long[]{startMs, startMs + nanos / 1_000_000, nanos});
                        }
                    }
                } catch (IOException ignored) {
                    // the probe ended
                }
            }, "scrape-probe-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Durations (ns) of the scrapes that started at or after {@code fromMs} and ended by {@code toMs}. */
        List<Long> within(long fromMs, long toMs) {
            List<Long> out = new ArrayList<>();
            for (long[] s : scrapes) {
                if (s[0] >= fromMs && s[1] <= toMs) {
                    out.add(s[2]);
                }
            }
            return out;
        }

        List<String> errors() {
            return errors;
        }

        @Override
        public void close() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Starts a probe of {@code url} in a small JVM of its own (Serial collector, 32 MB heap). */
    static Running start(String url, boolean gzip) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ScrapeProbe.class.getName(), url, Boolean.toString(gzip));
        return new Running(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
}
