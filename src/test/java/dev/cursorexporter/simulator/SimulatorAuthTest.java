package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorAuthTest {
    private static final String UNAUTHORIZED =
            "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}";
    private static Simulator sim;
    private static Simulator bearerSim;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).apiKey("crsr_test").build());
        bearerSim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).apiKey("crsr_test").acceptBearer(true)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.close();
        bearerSim.close();
    }

    @Test
    void basicAuthWithKeyAsUserAndEmptyPasswordIsAccepted() {
        SimClient.Response r = SimClient.basic(sim).get("/teams/members");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertTrue(r.json().get("teamMembers").size() > 12);
        assertEquals("crsr_test", sim.apiKey());
    }

    @Test
    void wrongKeyMissingHeaderAndNonEmptyPasswordAreRejectedWithCursorsBody() {
        SimClient base = new SimClient(sim.baseUrl(), null);
        for (SimClient c : new SimClient[] {
                base,
                base.withAuthorization(SimClient.basicHeader("wrong", "")),
                base.withAuthorization(SimClient.basicHeader("crsr_test", "secret")),
                base.withAuthorization("Basic not-base64!"),
                base.withAuthorization("Bearer crsr_test")}) {
            SimClient.Response r = c.get("/teams/members");
            assertEquals(401, r.status());
            assertEquals(UNAUTHORIZED, r.body());
            SimClient.Response post = c.post("/teams/spend", Map.of());
            assertEquals(401, post.status());
            assertEquals(UNAUTHORIZED, post.body());
        }
    }

    @Test
    void bearerIsAcceptedOnlyWhenEnabled() {
        SimClient bearer = new SimClient(bearerSim.baseUrl(), "Bearer crsr_test");
        assertEquals(200, bearer.get("/teams/members").status());
        assertEquals(401, bearer.withAuthorization("Bearer other").get("/teams/members").status());
        assertEquals(200, SimClient.basic(bearerSim).get("/teams/members").status());
    }

    @Test
    void unknownPathsAndMethodsAre404WithoutAuth() {
        SimClient anonymous = new SimClient(sim.baseUrl(), null);
        for (SimClient.Response r : new SimClient.Response[] {
                anonymous.get("/v1/teams/members"),
                SimClient.basic(sim).get("/teams/spend"),
                anonymous.post("/teams/nope", Map.of())}) {
            assertEquals(404, r.status());
            assertEquals("{\"error\":\"Not Found\",\"message\":\"Resource not found\"}", r.body());
        }
    }

    @Test
    void simulatorResourcesNeedNoAuthAndRequestsAreCounted() {
        SimClient anonymous = new SimClient(sim.baseUrl(), null);
        long before = sim.requestCount("/_simulator/totals");
        JsonNode totals = anonymous.get("/_simulator/totals").json();
        assertEquals("docs-latest", totals.get("profile").asText());
        assertEquals(before + 1, sim.requestCount("/_simulator/totals"));
        SimClient.Response csv = anonymous.get("/_simulator/directory.csv");
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        assertEquals(sim.directoryCsv(), csv.body());
        assertEquals(0, sim.requestCount("/never/called"));
    }

    @Test
    void optionsToStringHidesTheKey() {
        assertTrue(sim.options().toString().contains("apiKey=***"));
        assertTrue(!sim.options().toString().contains("crsr_test"));
    }
}
