package dev.cursorexporter.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Short, stable reasons for file errors; the JDK's messages repeat the path and vary by platform. */
final class FileReasons {
    private FileReasons() {
    }

    static String of(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
