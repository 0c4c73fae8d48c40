package dev.cursorexporter.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the way operators write them in YAML: {@code 30s}, {@code 15m}, {@code 1h30m}, {@code 1d}. */
final class Durations {
    // bounded digit counts keep the arithmetic far from overflow
    private static final Pattern DURATION =
            Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,6})s)?");

    private Durations() {
    }

    static Optional<Duration> parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(trimmed);
        if (trimmed.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofDays(part(m, 1))
                .plusHours(part(m, 2))
                .plusMinutes(part(m, 3))
                .plusSeconds(part(m, 4)));
    }

    /** The inverse of {@link #parse}: {@code 1h30m}, {@code 15m}, {@code 0s}. */
    static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        append(out, seconds / 86_400, "d");
        append(out, seconds % 86_400 / 3_600, "h");
        append(out, seconds % 3_600 / 60, "m");
        append(out, seconds % 60, "s");
        return out.toString();
    }

    private static long part(Matcher m, int group) {
        String digits = m.group(group);
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static void append(StringBuilder out, long amount, String unit) {
        if (amount > 0) {
            out.append(amount).append(unit);
        }
    }
}
