package dev.cursorexporter.config;

import dev.cursorexporter.model.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * The content of a secret file, re-read when its modification time or size changes (one {@code stat} per use).
 * Kubernetes swaps a symlink to rotate a mounted secret, which changes what the path resolves to and so its
 * attributes. A file that is missing, unreadable or empty for a moment (mid-rotation) keeps the last good value;
 * the warning names the file, never the content.
 */
public final class SecretFile implements Supplier<String> {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);

    private final Path file;
    private String value;
    private FileTime modified;
    private long size = -1;
    private boolean warned;

    /**
     * A secret held in {@code file}, re-read whenever the file's modification time or size changes.
     *
     * @param current the file's content as just read and validated (trimmed, not empty)
     */
    public static Secret reloading(Path file, String current) {
        return Secret.following(new SecretFile(file, current));
    }

    private SecretFile(Path file, String current) {
        this.file = file;
        this.value = current;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            this.modified = attributes.lastModifiedTime();
            this.size = attributes.size();
        } catch (IOException e) {
            this.modified = null; // re-read at first use
        }
    }

    @Override
    public synchronized String get() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.lastModifiedTime().equals(modified) && attributes.size() == size) {
                return value;
            }
            String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            if (content.isEmpty()) {
                warnOnce("is empty");
                return value;
            }
            boolean changed = !content.equals(value);
            value = content;
            modified = attributes.lastModifiedTime();
            size = attributes.size();
            warned = false;
            if (changed) {
                LOG.info("secret file {} changed; using its new content", file);
            }
        } catch (IOException e) {
            warnOnce("cannot be read (" + FileReasons.of(e) + ")");
        }
        return value;
    }

    private void warnOnce(String problem) {
        if (!warned) {
            warned = true;
            LOG.warn("secret file {} {}; keeping the previous value", file, problem);
        }
    }
}
