package dev.cursorexporter.directory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Directory} read from a CSV file {@code email,team,location} with a header row. Columns are found by
 * header name (any case, any order, extra columns ignored); rows that cannot be used are reported and skipped.
 */
public final class CsvDirectory implements Directory {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    /** Team or location is null where the row leaves it blank, so later directory layers can fill it. */
    private final Map<String, Assignment> byEmail;

    private CsvDirectory(Map<String, Assignment> byEmail) {
        this.byEmail = Map.copyOf(byEmail);
    }

    /**
     * @throws IOException when the file cannot be read at all (missing, unreadable, not UTF-8), with a message
     *                     naming the file and the reason
     */
    public static DirectoryLoad load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String content = read(file);
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1); // spreadsheet exports often start with a byte order mark
        }
        return new Reader(String.valueOf(file.getFileName())).parse(content);
    }

    @Override
    public Assignment lookup(String email) {
        return new Assignment(team(email).orElse(Assignment.DEFAULT_TEAM),
                location(email).orElse(Assignment.DEFAULT_LOCATION));
    }

    /** The team the file gives {@code email}, if its row names one. */
    public Optional<String> team(String email) {
        return entry(email).map(Assignment::team);
    }

    /** The location the file gives {@code email}, if its row names one. */
    public Optional<String> location(String email) {
        return entry(email).map(Assignment::location);
    }

    private Optional<Assignment> entry(String email) {
        return email == null ? Optional.empty() : Optional.ofNullable(byEmail.get(normalize(email)));
    }

    /** Number of members the directory assigns. */
    public int size() {
        return byEmail.size();
    }

    static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static String read(Path file) throws IOException {
        String cannotRead = "cannot read directory file '" + file + "': ";
        if (Files.isDirectory(file)) {
            throw new IOException(cannotRead + "is a directory");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(cannotRead + "no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(cannotRead + "permission denied", e);
        } catch (CharacterCodingException e) {
            throw new IOException(cannotRead + "not UTF-8 text", e);
        }
    }

    /** One pass over one file; collects entries and problems. */
    private static final class Reader {
        private final String fileName;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Assignment> entries = new HashMap<>();
        private final Map<String, Integer> firstLine = new HashMap<>();
        private int email = -1;
        private int team = -1;
        private int location = -1;

        Reader(String fileName) {
            this.fileName = fileName;
        }

        DirectoryLoad parse(String content) throws IOException {
            try (JsonParser parser = CSV.createParser(content)) {
                boolean header = true;
                try {
                    // each row is START_ARRAY, one VALUE_STRING per cell, END_ARRAY
                    while (parser.nextToken() == JsonToken.START_ARRAY) {
                        Row row = readRow(parser);
                        if (header) {
                            header = false;
                            if (!header(row.cells(), row.line())) {
                                break;
                            }
                        } else {
                            row(row.cells(), row.line());
                        }
                    }
                } catch (JsonProcessingException e) {
                    problems.add(fileName + " line " + lineOf(e.getLocation()) + ": malformed CSV ("
                            + e.getOriginalMessage() + "); stopped reading");
                }
                if (header) {
                    problems.add(fileName + " line 1: missing header row with an 'email' column");
                }
            }
            return new DirectoryLoad(new CsvDirectory(entries), problems);
        }

        private record Row(int line, String[] cells) {
        }

        private static Row readRow(JsonParser parser) throws IOException {
            List<String> cells = new ArrayList<>();
            int line = 0;
            for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY;
                 token = parser.nextToken()) {
                if (cells.isEmpty()) {
                    // the first cell's location is where the row begins, also when a quoted cell spans lines;
                    // START_ARRAY's location is still the previous row's
                    line = lineOf(parser.currentTokenLocation());
                }
                cells.add(parser.getText());
            }
            return new Row(line, cells.toArray(String[]::new));
        }

        private static int lineOf(JsonLocation location) {
            return location == null ? 0 : location.getLineNr();
        }

        /** @return false when the file is unusable (no e-mail column) */
        private boolean header(String[] cells, int line) {
            for (int i = 0; i < cells.length; i++) {
                String name = cells[i].trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "email" -> email = column(email, i, name, line);
                    case "team" -> team = column(team, i, name, line);
                    case "location" -> location = column(location, i, name, line);
                    default -> { } // extra columns are allowed and ignored
                }
            }
            if (email < 0) {
                problems.add(fileName + " line " + line + ": no 'email' column in the header");
                return false;
            }
            if (team < 0) {
                problems.add(fileName + " line " + line + ": no 'team' column; every member is in team '"
                        + Assignment.DEFAULT_TEAM + "'");
            }
            if (location < 0) {
                problems.add(fileName + " line " + line + ": no 'location' column; every member is in location '"
                        + Assignment.DEFAULT_LOCATION + "'");
            }
            return true;
        }

        private int column(int current, int index, String name, int line) {
            if (current >= 0) {
                problems.add(fileName + " line " + line + ": column '" + name + "' appears twice; using the first");
                return current;
            }
            return index;
        }

        private void row(String[] cells, int line) {
            if (allBlank(cells)) {
                return;
            }
            String address = normalize(cell(cells, email));
            if (address.isEmpty()) {
                problems.add(fileName + " line " + line + ": missing email");
                return;
            }
            if (!wellFormed(address)) {
                problems.add(fileName + " line " + line + ": malformed email '" + address + "'");
                return;
            }
            Assignment assignment = new Assignment(orNull(cell(cells, team)), orNull(cell(cells, location)));
            Assignment earlier = entries.putIfAbsent(address, assignment);
            if (earlier == null) {
                firstLine.put(address, line);
            } else if (!earlier.equals(assignment)) {
                int first = firstLine.get(address);
                problems.add(fileName + " line " + line + ": duplicate email '" + address
                        + "' with a different team or location than line " + first + "; keeping line " + first);
            }
        }

        private static boolean wellFormed(String address) {
            int at = address.indexOf('@');
            return at > 0 && at == address.lastIndexOf('@') && at < address.length() - 1
                    && address.chars().noneMatch(Character::isWhitespace);
        }

        private static String cell(String[] cells, int index) {
            return index >= 0 && index < cells.length && cells[index] != null ? cells[index].trim() : "";
        }

        private static String orNull(String value) {
            return value.isEmpty() ? null : value;
        }

        private static boolean allBlank(String[] cells) {
            for (String cell : cells) {
                if (cell != null && !cell.isBlank()) {
                    return false;
                }
            }
            return true;
        }
    }
}
