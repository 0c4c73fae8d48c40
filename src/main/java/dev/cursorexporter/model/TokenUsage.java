package dev.cursorexporter.model;

import java.math.BigDecimal;

/** {@code tokenUsage} of a usage event; missing counts are 0, missing {@code totalCents} is 0. */
public record TokenUsage(long inputTokens, long outputTokens, long cacheWriteTokens, long cacheReadTokens,
                         BigDecimal totalCents) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, BigDecimal.ZERO);
}
