package dev.cursorexporter.api;

import dev.cursorexporter.query.SeriesRow;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The metrics the simPod datasource offers: one value per row of a {@link dev.cursorexporter.query.SeriesQuery}. */
enum SimpodTarget {
    COST("cost", "Cost (USD)", false, SeriesRow::costUsd),
    REQUESTS("requests", "Requests (usage events)", false, r -> r.requests()),
    TOKENS("tokens", "Tokens, all types", false,
            r -> r.inputTokens() + r.outputTokens() + r.cacheReadTokens() + r.cacheWriteTokens()),
    INPUT_TOKENS("input_tokens", "Input tokens", false, r -> r.inputTokens()),
    OUTPUT_TOKENS("output_tokens", "Output tokens", false, r -> r.outputTokens()),
    CACHE_READ_TOKENS("cache_read_tokens", "Cache-read tokens", false, r -> r.cacheReadTokens()),
    CACHE_WRITE_TOKENS("cache_write_tokens", "Cache-write tokens", false, r -> r.cacheWriteTokens()),
    ACTIVE_USERS("active_users", "Active users (distinct per period)", true, r -> r.activity().activeUsers()),
    LINES_ADDED("lines_added", "Lines added, all", true, r -> r.activity().linesAdded()),
    AI_LINES_ADDED("ai_lines_added", "Lines added from AI suggestions", true, r -> r.activity().aiLinesAdded()),
    TABS_SHOWN("tabs_shown", "Tab completions shown", true, r -> r.activity().tabsShown()),
    TABS_ACCEPTED("tabs_accepted", "Tab completions accepted", true, r -> r.activity().tabsAccepted());

    private final String value;
    private final String label;
    private final boolean activity;
    private final Function<SeriesRow, Object> extract;

    SimpodTarget(String value, String label, boolean activity, Function<SeriesRow, Object> extract) {
        this.value = value;
        this.label = label;
        this.activity = activity;
        this.extract = extract;
    }

    String value() {
        return value;
    }

    String label() {
        return label;
    }

    /** From daily usage, which has no model dimension. */
    boolean activity() {
        return activity;
    }

    /** The row's value as a JSON number (exact dollars for cost). */
    Object of(SeriesRow row) {
        Object v = extract.apply(row);
        return v instanceof BigDecimal ? v : ((Number) v).longValue();
    }

    static Optional<SimpodTarget> byValue(String value) {
        return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
    }

    static String known() {
        return Arrays.stream(values()).map(SimpodTarget::value).collect(Collectors.joining(", "));
    }
}
