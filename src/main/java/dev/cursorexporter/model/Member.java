package dev.cursorexporter.model;

/**
 * One row of {@code GET /teams/members}.
 *
 * @param userId  {@code user_…} id as a string (Q9), or null when the response has none (2025 shape)
 * @param email   lower-cased e-mail, never null
 * @param name    display name, may be empty (observed {@code ""})
 * @param role    {@code owner}, {@code member}, {@code free-owner} or whatever Cursor sends
 * @param removed {@code isRemoved}; false when absent
 */
public record Member(String userId, String email, String name, String role, boolean removed) {
}
