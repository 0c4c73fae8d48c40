package dev.cursorexporter.store;

/** One Analytics field summed over all stored days, e.g. (models, "gpt-5.2", "messages", 812). */
public record AnalyticsTotal(String dimension, String field, long value) {
}
