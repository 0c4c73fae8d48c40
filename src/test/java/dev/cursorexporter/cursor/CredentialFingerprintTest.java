package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.config.SecretFile;
import dev.cursorexporter.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The sync tells a rotated key apart (to probe the Enterprise sources again) without ever holding the key. */
class CredentialFingerprintTest {

    @Test
    void aRotatedKeyFileChangesTheFingerprintAndRevealsNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, ClientTestKit.KEY);
        try (CursorClient client = new CursorClient(URI.create("http://127.0.0.1:9/"),
                SecretFile.reloading(file, ClientTestKit.KEY), ClientSettings.defaults(), ApiCallListener.NONE,
                d -> { })) {
            String before = client.credentialFingerprint();
            assertEquals(16, before.length());
            assertFalse(ClientTestKit.KEY.contains(before) || before.contains(ClientTestKit.KEY.substring(5, 12)));
            assertEquals(before, client.credentialFingerprint(), "stable while the key is");
            Files.writeString(file, "crsr_" + "f".repeat(64));
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            assertNotEquals(before, client.credentialFingerprint(), "the rotated key is told apart");
        }
    }
}
