package dev.cursorexporter.config;

import dev.cursorexporter.model.Secret;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The parsers of the table of keys ({@link ConfigKeys}), each with its range. A refusal's message is the problem
 * line after {@code <key>: }; values are echoed only through {@link Redaction}, and secrets never.
 */
final class ValueParsers {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,9}");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(KiB|MiB|GiB)?");
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9_-]+");

    private ValueParsers() {
    }

    /** A whole number from {@code min} to {@code max}; surrounding spaces are allowed. */
    static ValueParser<Integer> integer(int min, int max) {
        return raw -> {
            String text = raw.trim();
            if (INTEGER.matcher(text).matches()) {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            }
            throw new ValueParser.Invalid("must be an integer from " + min + " to " + max + ", got "
                    + Redaction.quote(raw));
        };
    }

    /** Bytes, or a whole number of KiB, MiB or GiB ({@code 32MiB}, {@code 65536}), from {@code min} to {@code max}. */
    static ValueParser<Long> size(long min, long max) {
        return raw -> {
            Matcher m = SIZE.matcher(raw.trim());
            if (m.matches()) {
                int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
                    case "KiB" -> 10;
                    case "MiB" -> 20;
                    default -> 30;
                };
                long value = Long.parseLong(m.group(1));
                if (value <= (max >> shift) && value << shift >= min) {
                    return value << shift;
                }
            }
            throw new ValueParser.Invalid("must be a size from " + ByteSizes.format(min) + " to "
                    + ByteSizes.format(max) + " (bytes, or a whole number with KiB, MiB or GiB), got "
                    + Redaction.quote(raw));
        };
    }

    /** {@code true} or {@code false}, in any case. */
    static ValueParser<Boolean> bool() {
        return raw -> {
            String text = raw.trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
            throw new ValueParser.Invalid("must be true or false, got " + Redaction.quote(raw));
        };
    }

    /** A {@link Durations duration} of at least {@code min}. */
    static ValueParser<Duration> duration(Duration min) {
        return raw -> {
            Optional<Duration> parsed = Durations.parse(raw);
            if (parsed.isEmpty()) {
                throw new ValueParser.Invalid("must be a duration like 30s, 15m or 1h, got " + Redaction.quote(raw));
            }
            if (parsed.get().compareTo(min) < 0) {
                throw new ValueParser.Invalid("must be at least " + Durations.format(min) + ", got "
                        + Redaction.quote(raw));
            }
            return parsed.get();
        };
    }

    /** A {@link Durations duration} from {@code min} to {@code max}. */
    static ValueParser<Duration> duration(Duration min, Duration max) {
        ValueParser<Duration> atLeast = duration(min);
        return raw -> {
            Duration parsed = atLeast.parse(raw);
            if (parsed.compareTo(max) > 0) {
                throw new ValueParser.Invalid("must be at most " + Durations.format(max) + ", got "
                        + Redaction.quote(raw));
            }
            return parsed;
        };
    }

    /** One of the constants of {@code type}, written in lower case (any case is accepted). */
    static <E extends Enum<E>> ValueParser<E> oneOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String names = Arrays.stream(constants).map(ValueParsers::lowerCase).collect(Collectors.joining(", "));
        return raw -> {
            String text = raw.trim().toLowerCase(Locale.ROOT);
            for (E constant : constants) {
                if (lowerCase(constant).equals(text)) {
                    return constant;
                }
            }
            throw new ValueParser.Invalid("must be one of " + names + ", got " + Redaction.quote(raw));
        };
    }

    /** An address of this machine to listen on ({@link BindAddress}). */
    static ValueParser<String> bindAddress() {
        return raw -> {
            try {
                return BindAddress.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new ValueParser.Invalid(e.getMessage());
            }
        };
    }

    /** The value, trimmed, as a secret: it is never echoed. */
    static ValueParser<Secret> secret() {
        return raw -> new Secret(raw.trim());
    }

    /** The trimmed content of the file named by the value, re-read when the file changes ({@link SecretFile}). */
    static ValueParser<Secret> secretFile() {
        return raw -> {
            String cannotRead = "cannot read " + Redaction.quote(raw) + ": ";
            try {
                Path path = Path.of(raw);
                if (Files.isDirectory(path)) {
                    throw new ValueParser.Invalid(cannotRead + "is a directory");
                }
                String content = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).trim();
                if (content.isEmpty()) {
                    throw new ValueParser.Invalid("file " + Redaction.quote(raw) + " is empty");
                }
                return SecretFile.reloading(path, content);
            } catch (InvalidPathException e) {
                throw new ValueParser.Invalid(cannotRead + "invalid path");
            } catch (IOException e) {
                throw new ValueParser.Invalid(cannotRead + FileReasons.of(e));
            }
        };
    }

    /** A path that is not an existing regular file (it may not exist yet). */
    static ValueParser<Path> directory() {
        return raw -> {
            Path path = path(raw);
            if (Files.isRegularFile(path)) {
                throw new ValueParser.Invalid(Redaction.quote(raw) + " is a file, not a directory");
            }
            return path;
        };
    }

    /** The path of an existing, readable regular file. */
    static ValueParser<Path> readableFile() {
        return raw -> {
            Path path = path(raw);
            String cannotRead = "cannot read " + Redaction.quote(raw) + ": ";
            if (Files.isDirectory(path)) {
                throw new ValueParser.Invalid(cannotRead + "is a directory");
            } else if (!Files.exists(path)) {
                throw new ValueParser.Invalid(cannotRead + "no such file");
            } else if (!Files.isReadable(path)) {
                throw new ValueParser.Invalid(cannotRead + "permission denied");
            }
            return path;
        };
    }

    /** A {@code jdbc:sqlite:} URL, the only store there is for now; echoed with its credentials masked. */
    static ValueParser<String> storeUrl() {
        return raw -> {
            String url = raw.trim();
            if (url.startsWith(POSTGRESQL_URL)) {
                // the password has keys of its own (a secret, possibly from a file), never the URL, which is shown
                if (url.substring(POSTGRESQL_URL.length()).matches("[^/?#]*@.*")) {
                    throw new ValueParser.Invalid("must not contain user info (got "
                            + Redaction.quote(Redaction.url(url)) + "); name the user with ?user=, the password belongs in "
                            + PASSWORD_KEYS);
                }
                if (Redaction.hasSecretParameter(url)) {
                    throw new ValueParser.Invalid("must not contain a password (got "
                            + Redaction.quote(Redaction.url(url)) + "); it belongs in " + PASSWORD_KEYS);
                }
                return url;
            }
            if (!url.startsWith(SQLITE_URL)) {
                throw new ValueParser.Invalid("only " + SQLITE_URL + " and " + POSTGRESQL_URL
                        + " URLs are supported, got " + Redaction.quote(Redaction.url(url)));
            }
            return url;
        };
    }

    private static final String PASSWORD_KEYS =
            "CURSOR_EXPORTER_STORE_PASSWORD / _FILE (store.password / store.password_file)";
    /** The prefix of a PostgreSQL store's JDBC URL. */
    static final String POSTGRESQL_URL = "jdbc:postgresql://";
    /** The prefix of an SQLite store's JDBC URL. */
    static final String SQLITE_URL = "jdbc:sqlite:";

    /** An absolute http(s) URL without user info, trailing slashes removed. */
    static ValueParser<URI> httpUrl() {
        return raw -> {
            String text = raw.trim();
            ValueParser.Invalid notHttp = new ValueParser.Invalid("must be an absolute http(s) URL, got "
                    + Redaction.quote(Redaction.url(text)));
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw notHttp;
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw notHttp;
            }
            if (uri.getRawUserInfo() != null) {
                throw new ValueParser.Invalid("must not contain user info; the key belongs in api_key");
            }
            // a trailing slash would double up when the client appends /teams/…
            return URI.create(text.replaceAll("/+$", ""));
        };
    }

    /** An account name, which is the {@code account} label value. */
    static ValueParser<String> accountName() {
        return raw -> {
            String name = raw.trim();
            if (!ACCOUNT_NAME.matcher(name).matches()) {
                throw new ValueParser.Invalid("must match [a-z0-9_-]+");
            }
            return name;
        };
    }

    /** A basic auth user name: {@code :} would end it early in the header (RFC 7617). */
    static ValueParser<String> basicAuthUser() {
        return raw -> {
            String name = raw.trim();
            if (name.contains(":")) {
                throw new ValueParser.Invalid("must not contain ':'");
            }
            return name;
        };
    }

    private static Path path(String raw) throws ValueParser.Invalid {
        try {
            return Path.of(raw.trim());
        } catch (InvalidPathException e) {
            throw new ValueParser.Invalid("not a valid path, got " + Redaction.quote(raw));
        }
    }

    private static String lowerCase(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
