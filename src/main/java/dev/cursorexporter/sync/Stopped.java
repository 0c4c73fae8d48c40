package dev.cursorexporter.sync;

/** Thrown on the sync thread at a checkpoint once a stop was requested; unwinds without committing more. */
final class Stopped extends RuntimeException {
    Stopped() {
        super("stopping", null, false, false);
    }
}
