package dev.cursorexporter.directory;

/** Maps a member's e-mail to team and location. Implementations are immutable and thread-safe. */
@FunctionalInterface
public interface Directory {
    Directory EMPTY = email -> Assignment.DEFAULT;

    /** @param email any case; "" or null for events without an e-mail */
    Assignment lookup(String email);
}
