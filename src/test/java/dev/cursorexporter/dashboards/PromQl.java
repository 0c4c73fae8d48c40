package dev.cursorexporter.dashboards;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading for the dashboard rules: metric names, range-vector calls, Grafana variables. */
final class PromQl {
    /** A range-vector function over one selector: {@code rate(name{...}[range])}. */
    static final Pattern RANGE_CALL = Pattern.compile(
            "\\b(rate|irate|increase)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*\\[([^\\]]+)]\\s*\\)");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "e");

    private PromQl() {
    }

    /**
     * Metric names in an expression or a {@code label_values(selector, label)} query: identifiers that are not
     * functions (followed by {@code (}), keywords, label names inside braces or groupings, or inside strings.
     */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", "{}");
        s = s.replaceAll("\\[[^\\]]*]", "[]");
        s = GROUPING.matcher(s).replaceAll(" ");
        if (s.startsWith("label_values(")) {
            s = s.replaceFirst(",\\s*[a-zA-Z_]+\\s*\\)\\s*$", ")");
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int end = m.end();
            boolean call = s.substring(end).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!call && !number && !KEYWORDS.contains(id.toLowerCase())) {
                out.add(id);
            }
        }
        return out;
    }

    /** Replaces Grafana's variables by values a test Prometheus can answer. */
    static String substitute(String expr, Map<String, String> values) {
        String out = expr;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }
}
