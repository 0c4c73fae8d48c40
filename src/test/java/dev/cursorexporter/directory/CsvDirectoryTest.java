package dev.cursorexporter.directory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheSampleFileWithBomExtraColumnsAndAnyHeaderCase() throws Exception {
        Path sample = Path.of(getClass().getResource("/config/directory.csv").toURI());
        DirectoryLoad load = CsvDirectory.load(sample);

        assertEquals(List.of(), load.problems());
        assertEquals(new Assignment("Platform", "Berlin"), load.directory().lookup("ada@example.com"));
        assertEquals(new Assignment("Web", "unknown"), load.directory().lookup("Bob@Example.com"));
    }

    @Test
    void columnsAreFoundByNameInAnyOrderAndLookupIgnoresCaseAndBlanks() throws Exception {
        DirectoryLoad load = load("""
                Location , ignored, EMAIL ,Team
                São Paulo,x, Carol@Example.COM ,Data Science
                """);
        Directory directory = load.directory();
        assertEquals(List.of(), load.problems());
        assertEquals(new Assignment("Data Science", "São Paulo"), directory.lookup("carol@example.com"));
        assertEquals(new Assignment("Data Science", "São Paulo"), directory.lookup("  CAROL@example.com\t"));
        assertEquals(Assignment.DEFAULT, directory.lookup("dave@example.com"));
        assertEquals(Assignment.DEFAULT, directory.lookup(""));
        assertEquals(Assignment.DEFAULT, directory.lookup(null));
        assertEquals(1, ((CsvDirectory) directory).size());
    }

    @Test
    void emptyCellsTakeTheDefaultsAndLabelValuesAreOnlyTrimmed() throws Exception {
        DirectoryLoad load = load("""
                email,team,location
                a@x.io,,
                b@x.io,  Team "Rocket" / ÉQUIPE  ,"  New York, NY "
                c@x.io
                """);
        assertEquals(List.of(), load.problems());
        assertEquals(Assignment.DEFAULT, load.directory().lookup("a@x.io"));
        assertEquals(new Assignment("Team \"Rocket\" / ÉQUIPE", "New York, NY"), load.directory().lookup("b@x.io"));
        assertEquals(Assignment.DEFAULT, load.directory().lookup("c@x.io"));
    }

    record BadFile(String name, String csv, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadFile> badFiles() {
        return Stream.of(
                new BadFile("bad rows are reported by line and skipped", """
                        email,team,location
                        ok@x.io,A,B

                        ,Lost,Nowhere
                        not-an-email,A,B
                        two@@x.io,A,B
                        "with space@x.io",A,B
                        """, List.of(
                        "directory.csv line 4: missing email",
                        "directory.csv line 5: malformed email 'not-an-email'",
                        "directory.csv line 6: malformed email 'two@@x.io'",
                        "directory.csv line 7: malformed email 'with space@x.io'")),
                new BadFile("a conflicting duplicate keeps the first row", """
                        email,team,location
                        dup@x.io,A,Paris
                        "multi
                        line@x.io",A,B
                        DUP@x.io,A,Paris
                        dup@x.io,B,Paris
                        """, List.of(
                        "directory.csv line 3: malformed email 'multi\nline@x.io'",
                        "directory.csv line 6: duplicate email 'dup@x.io' with a different team or location than "
                                + "line 2; keeping line 2")),
                new BadFile("no email column", "mail,team\na@x.io,A\n",
                        List.of("directory.csv line 1: no 'email' column in the header")),
                new BadFile("no team or location column", "email\na@x.io\n", List.of(
                        "directory.csv line 1: no 'team' column; every member is in team 'unassigned'",
                        "directory.csv line 1: no 'location' column; every member is in location 'unknown'")),
                new BadFile("a column twice", "email,team,location,Team\na@x.io,A,B,C\n",
                        List.of("directory.csv line 1: column 'team' appears twice; using the first")),
                new BadFile("empty file", "",
                        List.of("directory.csv line 1: missing header row with an 'email' column")),
                new BadFile("broken quoting stops reading but keeps earlier rows", """
                        email,team,location
                        ok@x.io,A,B
                        "bad@x.io"x,A,B
                        later@x.io,A,B
                        """, List.of("directory.csv line 3: malformed CSV (Unexpected character ('x' (code 120)): "
                        + "Expected column separator character (',' (code 44)) or end-of-line); stopped reading")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void reportsProblemsAndAppliesTheRest(BadFile file) throws Exception {
        DirectoryLoad load = load(file.csv());
        assertEquals(file.problems(), load.problems());
        if (file.csv().contains("ok@x.io")) {
            assertEquals(new Assignment("A", "B"), load.directory().lookup("ok@x.io"));
        }
        if (file.csv().contains("dup@x.io")) {
            assertEquals(new Assignment("A", "Paris"), load.directory().lookup("dup@x.io"));
        }
    }

    @Test
    void anUnreadableFileIsAnExceptionNamingIt() throws IOException {
        Path missing = tmp.resolve("missing.csv");
        IOException e = assertThrows(IOException.class, () -> CsvDirectory.load(missing));
        assertEquals("cannot read directory file '" + missing + "': no such file", e.getMessage());

        IOException dir = assertThrows(IOException.class, () -> CsvDirectory.load(tmp));
        assertEquals("cannot read directory file '" + tmp + "': is a directory", dir.getMessage());

        Path latin1 = Files.write(tmp.resolve("latin1.csv"),
                "email,team,location\nz@x.io,Zürich,CH\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException encoding = assertThrows(IOException.class, () -> CsvDirectory.load(latin1));
        assertEquals("cannot read directory file '" + latin1 + "': not UTF-8 text", encoding.getMessage());
    }

    private DirectoryLoad load(String csv) throws IOException {
        return CsvDirectory.load(Files.writeString(tmp.resolve("directory.csv"), csv));
    }
}
