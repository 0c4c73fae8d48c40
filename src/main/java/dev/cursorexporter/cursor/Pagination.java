package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether another page follows, for the three pagination shapes the client reads (REFERENCE.md §1.6, Q14).
 * Each answers false when the response says nothing, so an unexpected shape ends the loop instead of spinning.
 */
final class Pagination {
    private Pagination() {
    }

    /** P-users and P-std: {@code pagination.hasNextPage}, else {@code page < pagination.totalPages}. */
    static boolean paginationHasNext(JsonNode root, int page) {
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

    /**
     * How many pages the answer says there are: {@code numPages} / {@code totalPages} (in {@code pagination} or at
     * the top), else a total count ({@code totalUsageEventsCount}, {@code totalUsers}, {@code totalCount}) over
     * the page size; 0 when it says nothing. A server that keeps saying "next page" past this is not followed.
     */
    static long declaredPages(JsonNode root, int pageSize) {
        JsonNode p = root.path("pagination");
        for (JsonNode node : new JsonNode[] {p, root}) {
            for (String field : new String[] {"numPages", "totalPages"}) {
                long n = JsonFields.count(node, field);
                if (n > 0) {
                    return n;
                }
            }
        }
        for (JsonNode node : new JsonNode[] {p, root}) {
            for (String field : new String[] {"totalUsageEventsCount", "totalUsers", "totalCount"}) {
                long n = JsonFields.count(node, field);
                if (n > 0) {
                    return (n + pageSize - 1) / pageSize;
                }
            }
        }
        return 0;
    }

    /** The events answer's {@code totalUsageEventsCount} (at the top or in {@code pagination}); 0 when absent. */
    static long declaredTotal(JsonNode root) {
        long top = JsonFields.count(root, "totalUsageEventsCount");
        return top > 0 ? top : JsonFields.count(root.path("pagination"), "totalUsageEventsCount");
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
