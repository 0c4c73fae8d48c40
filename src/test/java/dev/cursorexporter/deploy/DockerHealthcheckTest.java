package dev.cursorexporter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile's HEALTHCHECK command, run with bash as Docker would, against an HTTP server listening where the
 * exporter would: it must ask the bind address when one is set (a check on 127.0.0.1 fails an exporter bound to
 * another address), loopback when none is or all interfaces are, and fail on anything but a 200.
 */
class DockerHealthcheckTest {
    private static final Pattern CMD = Pattern.compile("(?m)^HEALTHCHECK [^\\n]*\\\\\\n\\s*CMD (\\[.*\\])$");

    private static String command() throws IOException {
        Matcher m = CMD.matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(m.find(), "the Dockerfile has a HEALTHCHECK in exec form");
        JsonNode exec = new ObjectMapper().readTree(m.group(1));
        assertEquals(List.of("bash", "-c"), List.of(exec.get(0).asText(), exec.get(1).asText()));
        return exec.get(2).asText();
    }

    /** The health check's exit code against a server on {@code listen} answering {@code status}. */
    private static int check(String listen, int status, Map<String, String> env) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(listen), 0), 0);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", command()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("CURSOR_"));
            pb.environment().put("CURSOR_EXPORTER_PORT", Integer.toString(server.getAddress().getPort()));
            pb.environment().putAll(env);
            Process process = pb.start();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the check ends");
            return process.exitValue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void asksTheBindAddressLoopbackOrAllInterfacesAndNeedsA200() throws Exception {
        assertEquals(0, check("127.0.0.1", 200, Map.of()), "no bind address: loopback");
        assertEquals(0, check("0.0.0.0", 200, Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "0.0.0.0")), "all interfaces");
        assertEquals(0, check("127.0.0.2", 200, Map.of("CURSOR_EXPORTER_BIND_ADDRESS", "127.0.0.2")),
                "a specific address is asked there, not on 127.0.0.1");
        Map<String, String> none = new HashMap<>();
        assertNotEquals(0, check("127.0.0.1", 503, none), "anything but 200 is unhealthy");
        assertNotEquals(0, check("127.0.0.2", 200, none), "nothing listens on 127.0.0.1");
    }
}
