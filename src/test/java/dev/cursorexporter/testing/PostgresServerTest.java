package dev.cursorexporter.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The throw-away server the PostgreSQL store tests run on: it starts, asks for the password, and gives fresh databases. */
class PostgresServerTest {

    @Test
    void startsAndGivesEachCallerAnEmptyDatabaseOfItsOwn() throws SQLException {
        PostgresServer server = PostgresServer.get();
        String a = server.freshDatabase();
        String b = server.freshDatabase();
        assertTrue(!a.equals(b), a + " and " + b);
        try (Connection c = DriverManager.getConnection(a, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_in_a (x BIGINT)");
        }
        try (Connection c = DriverManager.getConnection(b, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_in_a'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void refusesAWrongPassword() {
        String url = PostgresServer.get().freshDatabase();
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, PostgresServer.USER, "wrong").close());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
    }
}
