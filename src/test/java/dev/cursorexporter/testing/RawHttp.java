package dev.cursorexporter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte what the test says: any method, any path, any header, a wrong
 * Content-Length. {@code java.net.http} refuses most malformed requests before they leave, so bad-input and
 * auth tests use this. Each request has its own connection ({@code Connection: close}).
 */
public final class RawHttp {
    /** Status, raw header lines (without the status line) and body. */
    public record Response(int status, List<String> headers, String body) {
        public List<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).toList();
        }

        /** Everything the client saw: status line, headers, body. */
        public String whole() {
            return status + "\n" + String.join("\n", headers) + "\n\n" + body;
        }
    }

    private RawHttp() {
    }

    public static Response get(int port, String path, String... headerPairs) {
        return send(port, "GET", path, headers(headerPairs), null);
    }

    public static Response post(int port, String path, String body, String... headerPairs) {
        return send(port, "POST", path, headers(headerPairs), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> headers(String... pairs) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(Map.entry(pairs[i], pairs[i + 1]));
        }
        return out;
    }

    /** A request with Host, the given headers, and Content-Length when there is a body. */
    public static Response send(int port, String method, String target, List<Map.Entry<String, String>> headers,
                                byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n").append("Connection: close\r\n");
        headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            bytes.writeBytes(body);
        }
        return exchange(port, bytes.toByteArray());
    }

    /** Sends {@code request} verbatim and reads the answer until the server closes the connection. */
    public static Response exchange(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer (413, 431) and close before it has read everything we send
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server closes the connection or the answer is complete by its Content-Length (a server may
     * keep a connection open after refusing a request it could not parse, e.g. {@code CONNECT *}).
     */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                if (complete(out.toByteArray())) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer was sent (the server closed with unread request bytes)
        }
        return out.toByteArray();
    }

    /** Drops interim answers ({@code 100 Continue} to {@code Expect: 100-continue}); the final one follows. */
    private static byte[] withoutInterim(byte[] raw) {
        byte[] rest = raw;
        while (rest.length > 12 && new String(rest, 9, 1, StandardCharsets.US_ASCII).equals("1")) {
            int end = indexOf(rest, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            if (end < 0) {
                break;
            }
            rest = java.util.Arrays.copyOfRange(rest, end + 4, rest.length);
        }
        return rest;
    }

    private static boolean complete(byte[] all) {
        byte[] raw = withoutInterim(all);
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            return false;
        }
        for (String line : new String(raw, 0, end, StandardCharsets.UTF_8).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return raw.length >= end + 4 + Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return false;
    }

    private static Response parse(byte[] all) {
        byte[] raw = withoutInterim(all);
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw new AssertionError("no complete HTTP answer: " + new String(raw, StandardCharsets.UTF_8));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.UTF_8).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        List<String> headers = List.of(lines).subList(1, lines.length);
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        boolean chunked = headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")
                && h.toLowerCase(Locale.ROOT).contains("chunked"));
        return new Response(Integer.parseInt(statusLine[1]), headers,
                new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, crlf, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
