package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.RetryPolicy;
import dev.cursorexporter.model.Secret;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A loopback Cursor stand-in plus a client wired to record its waits and API-call reports. */
final class ClientTestKit implements AutoCloseable {
    /** Looks like a real key ({@code crsr_} + 64 chars) so leaks are easy to spot. */
    static final String KEY = "crsr_" + "0a1b2c3d4e5f6789".repeat(4);
    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    /** Exact backoff (no jitter), short timeouts, 5 attempts. */
    static final RetryPolicy EXACT_RETRY =
            new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(120), 0);
    static final ClientSettings SETTINGS = ClientSettings.defaults()
            .withRetry(EXACT_RETRY)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10));

    final MockWebServer server = new MockWebServer();
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** {@code source reason rows} per {@link ApiCallListener#onRejected} report. */
    final List<String> rejected = Collections.synchronizedList(new ArrayList<>());

    ClientTestKit() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CursorClient client() {
        return client(SETTINGS);
    }

    CursorClient client(ClientSettings settings) {
        return client(settings, "/");
    }

    CursorClient client(ClientSettings settings, String basePath) {
        return new CursorClient(URI.create(server.url(basePath).toString()), new Secret(KEY), settings,
                new ApiCallListener() {
                    @Override
                    public void onCall(String endpoint, String code) {
                        calls.add(endpoint + " " + code);
                    }

                    @Override
                    public void onRejected(String source, String reason, int rows) {
                        rejected.add(source + " " + reason + " " + rows);
                    }
                }, sleeps::add, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    void enqueue(MockResponse... responses) {
        for (MockResponse response : responses) {
            server.enqueue(response);
        }
    }

    RecordedRequest take() {
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("no request arrived");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Bodies of all requests made so far, in order. */
    List<String> bodies() {
        List<String> out = new ArrayList<>();
        int n = server.getRequestCount();
        for (int i = 0; i < n; i++) {
            RecordedRequest request = take();
            out.add(request.getBody() == null ? "" : request.getBody().utf8());
        }
        return out;
    }

    static MockResponse json(String body) {
        return response(200, body);
    }

    static MockResponse response(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    static MockResponse fixtureResponse(String name) {
        return json(fixture(name));
    }

    static String fixture(String name) {
        try (InputStream in = ClientTestKit.class.getResourceAsStream("/cursor/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
