package dev.cursorexporter.directory;

import java.util.List;

/**
 * The outcome of loading a directory file: the entries that were valid, and one line per row that was not
 * ({@code directory.csv line 7: missing email}), for the caller to log or to fail on.
 */
public record DirectoryLoad(CsvDirectory directory, List<String> problems) {
    public DirectoryLoad {
        problems = List.copyOf(problems);
    }
}
