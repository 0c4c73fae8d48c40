package dev.cursorexporter.api;

import dev.cursorexporter.model.ReloadResult;

/** Re-reads the configuration now ({@code POST /-/reload}, like SIGHUP) and says what it did. */
@FunctionalInterface
public interface ReloadTrigger {
    ReloadResult reload();
}
