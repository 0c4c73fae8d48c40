package dev.cursorexporter.model;

import java.time.Instant;

/**
 * One event of {@code GET /teams/audit-logs} (REFERENCE.md §2.2), reduced to what the exporter counts. The actor's
 * e-mail, the IP address and {@code event_data} (which holds old and new setting values, key names, rule texts)
 * are deliberately absent: never read from the answer, they cannot be stored, labelled or logged.
 *
 * @param eventId   {@code event_id}, a UUID: the key a re-read event is recognised by
 * @param timestamp {@code timestamp}: the event's day is its UTC day
 * @param eventType {@code event_type}, e.g. {@code login}, {@code team_settings}; lower-case snake_case
 */
public record AuditEvent(String eventId, Instant timestamp, String eventType) {
}
