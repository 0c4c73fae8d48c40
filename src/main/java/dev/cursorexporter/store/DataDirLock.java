package dev.cursorexporter.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One exporter per data directory: two on the same store would both poll Cursor (twice the API calls) and write
 * the same file. An OS file lock on {@value #FILE_NAME} is held for the process's life; the OS releases it when the
 * process ends, however it ends, so a {@code kill -9} leaves no stale lock behind.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "cursor-exporter.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails naming the directory when another exporter (process or instance) holds it. */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot create the lock file " + file + " (" + e + "): make the data directory "
                    + "writable by the exporter's user, or point CURSOR_EXPORTER_DATA_DIR at a writable directory", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + file + ": " + e, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StoreException("another exporter is already using the data directory " + dataDir + " (it holds "
                    + file + "): stop it first, or give this one its own CURSOR_EXPORTER_DATA_DIR", null);
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
