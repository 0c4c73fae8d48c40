package dev.cursorexporter.dashboards;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every dashboard validates against Grafana's dashboard JSON schema (copy in src/test/resources/grafana). */
class DashboardSchemaTest {
    private static final Schema SCHEMA = load();

    private static Schema load() {
        try (InputStream in = DashboardSchemaTest.class.getResourceAsStream("/grafana/dashboard.schema.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(text, InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Dashboards.Board> boards() {
        return Dashboards.all();
    }

    @Test
    void theSevenBoardsAreThere() {
        assertEquals(Dashboards.UIDS.stream().sorted().toList(), boards().stream().map(Dashboards.Board::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boards")
    void validatesAgainstGrafanasSchema(Dashboards.Board board) {
        List<Error> errors = SCHEMA.validate(board.text(), InputFormat.JSON);
        assertTrue(errors.isEmpty(), board.name() + ": " + errors);
    }

    @Test
    void theSchemaRejectsABrokenBoard() {
        String broken = boards().get(0).text().replaceFirst("\"w\": 24", "\"w\": 30")
                .replaceFirst("\"schemaVersion\": 41", "\"schemaVersion\": \"41\"");
        List<Error> errors = SCHEMA.validate(broken, InputFormat.JSON);
        assertFalse(errors.isEmpty(), "gridPos.w 30 and a string schemaVersion must be rejected");
    }
}
