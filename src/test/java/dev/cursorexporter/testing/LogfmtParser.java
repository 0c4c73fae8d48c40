package dev.cursorexporter.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict logfmt reader for tests: a line is {@code key=value} pairs separated by one space; a key has no space,
 * {@code =}, {@code "} or control character; a value is bare (none of those, nor {@code \}) or double-quoted with
 * {@code \\}, {@code \"}, {@code \n}, {@code \r}, {@code \t} and four-hex-digit unicode escapes. Anything else, and a key
 * given twice, is refused with the column, so a test can demand that every line of a log parses.
 */
public final class LogfmtParser {
    private final String line;
    private int at;

    private LogfmtParser(String line) {
        this.line = line;
    }

    /** The pairs of {@code line} in order, values unescaped. */
    public static Map<String, String> parse(String line) {
        return new LogfmtParser(line).pairs();
    }

    private Map<String, String> pairs() {
        Map<String, String> out = new LinkedHashMap<>();
        if (line.isEmpty()) {
            throw refuse("an empty line");
        }
        while (true) {
            String key = key();
            expect('=');
            String value = at < line.length() && line.charAt(at) == '"' ? quoted() : bare();
            if (out.put(key, value) != null) {
                throw refuse("the key '" + key + "' twice");
            }
            if (at == line.length()) {
                return out;
            }
            expect(' ');
        }
    }

    private String key() {
        int start = at;
        while (at < line.length() && plain(line.charAt(at))) {
            at++;
        }
        if (at == start) {
            throw refuse("a key");
        }
        return line.substring(start, at);
    }

    private String bare() {
        int start = at;
        while (at < line.length() && plain(line.charAt(at)) && line.charAt(at) != '\\') {
            at++;
        }
        if (at == start) {
            throw refuse("a value (an empty one is written \"\")");
        }
        return line.substring(start, at);
    }

    private String quoted() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= line.length()) {
                throw refuse("a closing quote");
            }
            char c = line.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < ' ' || c == 0x7f) {
                throw refuse("no raw control character in a quoted value");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= line.length()) {
                throw refuse("an escape");
            }
            char e = line.charAt(at++);
            switch (e) {
                case '\\', '"' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > line.length()) {
                        throw refuse("four hex digits");
                    }
                    out.append((char) Integer.parseInt(line.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw refuse("a known escape, not \\" + e);
            }
        }
    }

    private static boolean plain(char c) {
        return c > ' ' && c != '=' && c != '"' && c != 0x7f;
    }

    private void expect(char c) {
        if (at >= line.length() || line.charAt(at) != c) {
            throw refuse("'" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException refuse(String expected) {
        return new IllegalArgumentException("not logfmt: expected " + expected + " at column " + at + " of: " + line);
    }
}
