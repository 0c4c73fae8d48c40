package dev.cursorexporter.simulator;

/**
 * A request the simulator answered, kept so tests can prove what a client asked for (e.g. that no stored window
 * was fetched twice).
 *
 * @param body the raw request body ("" for GET)
 */
public record RecordedRequest(String method, String path, String body, int status) {
}
