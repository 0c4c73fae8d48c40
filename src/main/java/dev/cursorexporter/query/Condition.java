package dev.cursorexporter.query;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One restriction on a dimension: the value is one of {@code values} ({@link Operator#IN}), none of them
 * ({@link Operator#NOT_IN}), or fully matches / does not match the regular expression {@code values[0]}. Values
 * compare exactly (label values are already lower-case where that matters).
 */
public record Condition(Dimension dimension, Operator operator, List<String> values) {

    public enum Operator { IN, NOT_IN, MATCHES, NOT_MATCHES }

    public Condition {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(operator, "operator");
        values = values.stream().sorted().distinct().toList();
        if ((operator == Operator.MATCHES || operator == Operator.NOT_MATCHES) && values.size() != 1) {
            throw new IllegalArgumentException("a regular-expression condition has exactly one pattern");
        }
    }

    public static Condition in(Dimension dimension, List<String> values) {
        return new Condition(dimension, Operator.IN, values);
    }

    /**
     * @throws PatternSyntaxException when the pattern does not compile (callers validate before querying)
     */
    public static Condition matching(Dimension dimension, String regex, boolean negated) {
        Pattern.compile(regex);
        return new Condition(dimension, negated ? Operator.NOT_MATCHES : Operator.MATCHES, List.of(regex));
    }

    /** A reusable test of this condition (compiles the pattern once). */
    Matcher matcher() {
        return switch (operator) {
            case IN -> values::contains;
            case NOT_IN -> v -> !values.contains(v);
            case MATCHES -> {
                Pattern p = Pattern.compile(values.get(0));
                yield v -> p.matcher(v).matches();
            }
            case NOT_MATCHES -> {
                Pattern p = Pattern.compile(values.get(0));
                yield v -> !p.matcher(v).matches();
            }
        };
    }

    @FunctionalInterface
    interface Matcher {
        boolean test(String value);
    }
}
