package dev.cursorexporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Typed, validating access to a JSON request body; every problem becomes a 400 in Cursor's shape. */
final class RequestBody {
    private final JsonNode body;

    private RequestBody(JsonNode body) {
        this.body = body;
    }

    static RequestBody parse(String text) {
        if (text == null || text.isBlank()) {
            return new RequestBody(CursorJson.MAPPER.createObjectNode());
        }
        JsonNode node;
        try {
            node = CursorJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("Invalid JSON body");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("Request body must be a JSON object");
        }
        return new RequestBody(node);
    }

    boolean has(String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull();
    }

    /** An integral number, or null when absent. Dates must be epoch-ms numbers, not strings (REFERENCE.md Q17). */
    Long optionalLong(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0 && v.canConvertToLong()) {
            return v.longValue();
        }
        throw ApiError.badRequest(field + " must be an integer number");
    }

    long positiveOr(String field, long fallback) {
        Long v = optionalLong(field);
        if (v == null) {
            return fallback;
        }
        if (v < 1) {
            throw ApiError.badRequest(field + " must be a positive integer");
        }
        return v;
    }

    String optionalString(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field + " must be a string");
        }
        return v.asText();
    }

    /**
     * The validated {@code startDate}/{@code endDate} pair.
     *
     * @param maxRangeDays longest allowed {@code endDate - startDate}
     */
    long[] dateRange(int maxRangeDays) {
        Long start = optionalLong("startDate");
        Long end = optionalLong("endDate");
        if (start == null || end == null) {
            throw ApiError.badRequest("startDate and endDate are required");
        }
        if (end < start) {
            throw ApiError.badRequest("endDate must not be before startDate");
        }
        if (end - start > maxRangeDays * ActivityGenerator.DAY_MS) {
            throw ApiError.badRequest("Date range cannot exceed " + maxRangeDays + " days");
        }
        return new long[] {start, end};
    }
}
