package dev.cursorexporter.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/x | jdbc:postgresql://db:5432/x",
            "jdbc:postgresql://bob:pw@db/x | jdbc:postgresql://***@db/x",
            "jdbc:postgresql://db/x?user=bob&password=pw&ssl=true | jdbc:postgresql://db/x?user=bob&password=***&ssl=true",
            "jdbc:postgresql://db/x?sslpassword=pw | jdbc:postgresql://db/x?sslpassword=***",
            "jdbc:sqlserver://db;user=sa;Password=pw;encrypt=true | jdbc:sqlserver://db;user=sa;Password=***;encrypt=true",
            "https://me@api.cursor.com/?token=t#f | https://***@api.cursor.com/?token=***#f"})
    void urlsLoseTheirCredentials(String url, String expected) {
        assertEquals(expected, Redaction.url(url));
    }

    @Test
    void longValuesAreShortened() {
        assertEquals("'" + "x".repeat(80) + "…'", Redaction.quote("x".repeat(500)));
        assertEquals("'short'", Redaction.quote("short"));
    }
}
