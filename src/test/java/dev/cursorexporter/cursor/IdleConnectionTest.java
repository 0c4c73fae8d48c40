package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ClientSettings;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server closes idle connections (Jetty after 30 s, load balancers after about 60 s) without telling the
 * client. Demo mode polls every minute, so reusing such a connection failed the first call of every poll with
 * "unexpected end of stream" (a failed call on the health board each minute). Idle connections are dropped after
 * {@link ClientSettings#idleKeepAlive()}, before the server drops them.
 */
class IdleConnectionTest {
    private final ClientTestKit kit = new ClientTestKit();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void aConnectionIdleLongerThanTheKeepAliveIsNotReused() throws InterruptedException {
        String members = "{\"teamMembers\":[{\"id\":\"u1\",\"email\":\"a@example.com\"}]}";
        // the server closes the socket after the first answer, as an idle timeout would
        kit.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(members)
                .onResponseEnd(new SocketEffect.CloseSocket()).build(), ClientTestKit.json(members));
        try (CursorClient client = kit.client(ClientTestKit.SETTINGS.withIdleKeepAlive(Duration.ofMillis(100)))) {
            client.members();
            Thread.sleep(400);
            client.members();
        }
        assertEquals(List.of("/teams/members 200", "/teams/members 200"), kit.calls);
    }

    @Test
    void theDefaultKeepAliveIsBelowCommonServerIdleTimeouts() {
        assertEquals(Duration.ofSeconds(20), ClientSettings.defaults().idleKeepAlive());
    }
}
