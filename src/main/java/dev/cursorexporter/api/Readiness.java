package dev.cursorexporter.api;

/** Whether the exporter has data to serve (from a successful sync now or from the store of an earlier run). */
@FunctionalInterface
public interface Readiness {
    boolean ready();
}
