package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error answer in one of Cursor's (non-uniform) error shapes, REFERENCE.md §1.9 and §5. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ObjectNode body;
    private final Long retryAfterSeconds;

    private ApiError(int status, ObjectNode body, Long retryAfterSeconds) {
        super(status + " " + body.path("message").asText(), null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body;
    }

    /** Seconds to put in {@code Retry-After}, or null for no header. */
    Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, body("Bad Request", message), null);
    }

    /** The form observed live on {@code /teams/members}, with {@code statusCode}. */
    static ApiError unauthorized() {
        ObjectNode b = CursorJson.MAPPER.createObjectNode();
        b.put("statusCode", 401);
        b.put("error", "Unauthorized");
        b.put("message", "Invalid API key");
        return new ApiError(401, b, null);
    }

    /** Plan gate as observed on Analytics / AI-code for non-Enterprise teams: 401 in the newer error style. */
    static ApiError enterpriseRequired() {
        ObjectNode b = CursorJson.MAPPER.createObjectNode();
        b.put("code", "error");
        b.put("message", "You must be a member of an enterprise team to access this resource");
        return new ApiError(401, b, null);
    }

    /** Plan gate as documented: 403. */
    static ApiError enterpriseForbidden() {
        return new ApiError(403, body("Forbidden", "Enterprise access required"), null);
    }

    static ApiError notFound() {
        return new ApiError(404, body("Not Found", "Resource not found"), null);
    }

    static ApiError tooManyRequests(Long retryAfterSeconds) {
        return new ApiError(429, body("Too Many Requests", "Rate limit exceeded. Please try again later."),
                retryAfterSeconds);
    }

    /** Injected or unexpected server failure; 500, 502 or 503 with the documented 500 body. */
    static ApiError serverError(int status) {
        return new ApiError(status, body("Internal Server Error", "An unexpected error occurred"), null);
    }

    private static ObjectNode body(String error, String message) {
        ObjectNode b = CursorJson.MAPPER.createObjectNode();
        b.put("error", error);
        b.put("message", message);
        return b;
    }
}
