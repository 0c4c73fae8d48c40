package dev.cursorexporter.simulator;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code simulate --faults} syntax: comma-separated {@code kind=fraction} pairs, e.g.
 * {@code 5xx=0.2,429=0.1,truncate=0.05,slow=0.05}. Kinds: {@code 5xx} (500/502/503), {@code 429} (rate-limited
 * although under the limit), {@code truncate} (body cut mid-JSON), {@code slow} (held back by {@code --slow-delay}).
 * Also reads the simulator's durations ({@code 250ms}, {@code 2s}, {@code 1m}).
 */
final class FaultSpec {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private FaultSpec() {
    }

    /** Sets the named fractions on {@code b}; kinds not named keep their value. */
    static void apply(String spec, SimulatorOptions.Builder b, SimulatorOptions current) {
        FaultOptions faults = current.faults();
        Set<String> seen = new HashSet<>();
        for (String part : spec.split(",", -1)) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--faults expects kind=fraction pairs like 5xx=0.2,429=0.1, got '"
                        + item + "'");
            }
            String kind = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            double rate = fraction(kind, item.substring(eq + 1).trim());
            if (!seen.add(kind)) {
                throw new IllegalArgumentException("--faults names " + kind + " twice");
            }
            switch (kind) {
                case "5xx" -> b.errorRate(rate);
                case "429" -> faults = faults.withTooManyRate(rate);
                case "truncate" -> faults = faults.withTruncateRate(rate);
                case "slow" -> faults = faults.withSlowRate(rate);
                default -> throw new IllegalArgumentException("--faults: unknown kind '" + kind
                        + "' (expected 5xx, 429, truncate, slow)");
            }
        }
        b.faults(faults);
    }

    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " expects a duration like 250ms, 2s or 1m, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static double fraction(String kind, String text) {
        try {
            double d = Double.parseDouble(text);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--faults: " + kind + " expects a fraction from 0 to 1, got '" + text + "'");
    }
}
