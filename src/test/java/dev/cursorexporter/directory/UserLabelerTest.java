package dev.cursorexporter.directory;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserLabelerTest {
    private static final Optional<Secret> SALT = Optional.of(new Secret("pepper"));

    @Test
    void emailModeIsTheLowerCasedAddress() {
        UserLabeler labeler = new UserLabeler(UserLabelMode.EMAIL, Optional.empty());
        assertEquals(Optional.of("ada@example.com"), labeler.label(" Ada@Example.COM "));
        assertEquals(Optional.of("unknown"), labeler.label(""));
        assertEquals(Optional.of("unknown"), labeler.label(null));
    }

    @Test
    void noneModeDropsTheLabel() {
        UserLabeler labeler = new UserLabeler(UserLabelMode.NONE, Optional.empty());
        assertEquals(Optional.empty(), labeler.label("ada@example.com"));
        assertEquals(Optional.empty(), labeler.label(null));
    }

    @Test
    void hashIsAPinnedSaltedHmac() throws Exception {
        // pinned (computed independently: HMAC-SHA256 key "pepper", message "ada@example.com") so that a refactoring
        // cannot silently rename every user in every dashboard
        assertEquals(Optional.of("u_73c43507a0192e95"),
                new UserLabeler(UserLabelMode.HASH, SALT).label("ada@example.com"));
        assertEquals("u_" + hmacHex("pepper", "ada@example.com").substring(0, 16),
                new UserLabeler(UserLabelMode.HASH, SALT).label("ADA@example.com").orElseThrow());
    }

    @Test
    void hashIsStableAndIgnoresCase() {
        String first = new UserLabeler(UserLabelMode.HASH, SALT).label("Ada@Example.com").orElseThrow();
        String again = new UserLabeler(UserLabelMode.HASH, Optional.of(new Secret("pepper")))
                .label("  ada@EXAMPLE.com").orElseThrow();
        assertEquals(first, again);
        assertTrue(first.matches("u_[0-9a-f]{16}"), first);
    }

    @Test
    void theSaltChangesThePseudonym() {
        String peppered = new UserLabeler(UserLabelMode.HASH, SALT).label("ada@example.com").orElseThrow();
        String salted = new UserLabeler(UserLabelMode.HASH, Optional.of(new Secret("salt")))
                .label("ada@example.com").orElseThrow();
        assertNotEquals(peppered, salted);
    }

    @Test
    void thePseudonymHidesTheAddressAndDistinguishesUsers() {
        UserLabeler labeler = new UserLabeler(UserLabelMode.HASH, SALT);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String email = "user" + i + "@example.com";
            String label = labeler.label(email).orElseThrow();
            assertFalse(label.contains("user" + i) || label.contains("example") || label.contains("@"), label);
            assertTrue(seen.add(label), "collision at " + email);
        }
    }

    @Test
    void unknownStaysUnknown() {
        UserLabeler labeler = new UserLabeler(UserLabelMode.HASH, SALT);
        assertEquals(Optional.of("unknown"), labeler.label(null));
        assertEquals(Optional.of("unknown"), labeler.label(" "));
        assertEquals(Optional.of("unknown"), labeler.label("unknown"));
    }

    @Test
    void hashNeedsASalt() {
        assertThrows(IllegalArgumentException.class, () -> new UserLabeler(UserLabelMode.HASH, Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new UserLabeler(UserLabelMode.HASH, Optional.of(new Secret(""))));
    }

    private static String hmacHex(String key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
