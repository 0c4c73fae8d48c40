package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether another page follows, for the three pagination shapes the client reads (REFERENCE.md §1.6, Q14).
 * Each answers false when the response says nothing, so an unexpected shape ends the loop instead of spinning.
 */
final class Pagination {
    private Pagination() {
    }

    /** P-users: {@code pagination.hasNextPage}, else {@code page < pagination.totalPages}. */
    static boolean dailyUsageHasNext(JsonNode root, int page) {
        JsonNode p = root.path("pagination");
        Boolean hasNext = JsonFields.bool(p, "hasNextPage");
        if (hasNext != null) {
            return hasNext;
        }
        return page < JsonFields.count(p, "totalPages");
    }

    /** P-spend: top-level {@code totalPages} only; 0 or absent means this was the only page. */
    static boolean spendHasNext(JsonNode root, int page) {
        return page < JsonFields.count(root, "totalPages");
    }

    /** P-events: {@code pagination.hasNextPage}, else {@code currentPage < numPages}. */
    static boolean eventsHasNext(JsonNode root, int page) {
        JsonNode p = root.path("pagination");
        Boolean hasNext = JsonFields.bool(p, "hasNextPage");
        if (hasNext != null) {
            return hasNext;
        }
        long current = JsonFields.count(p, "currentPage");
        return (current > 0 ? current : page) < JsonFields.count(p, "numPages");
    }
}
