package dev.cursorexporter.config;

import dev.cursorexporter.cursor.CursorClient;

/** Breaks an import rule on purpose, so ArchitectureTest can show its rules fail (test classes are not checked). */
public final class ArchViolationFixture {
    private ArchViolationFixture() {
    }

    static Class<?> client() {
        return CursorClient.class;
    }
}
