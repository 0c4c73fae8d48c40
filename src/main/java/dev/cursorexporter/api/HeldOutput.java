package dev.cursorexporter.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Holds what is written while it is at most {@code maxBytes}; past that it sends the held bytes to the target and
 * everything after them straight through, so that a small answer can be kept whole and a large one is still
 * streamed without ever being held. The target is opened only when something must be sent. Not thread-safe.
 */
final class HeldOutput extends OutputStream {
    private final Supplier<OutputStream> target;
    private final int maxBytes;
    private ByteArrayOutputStream held = new ByteArrayOutputStream();
    private OutputStream out;

    HeldOutput(Supplier<OutputStream> target, int maxBytes) {
        this.target = target;
        this.maxBytes = maxBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (held == null) {
            out.write(b, off, len);
            return;
        }
        held.write(b, off, len);
        if (held.size() > maxBytes) {
            // One first write of everything so far: Javalin decides on compression by the size of the first write,
            // so an empty or small one would send a large answer uncompressed.
            out = target.get();
            held.writeTo(out);
            held = null;
        }
    }

    /** The whole of what was written, or null once it passed the limit and went to the target. */
    byte[] heldBytes() {
        return held == null ? null : held.toByteArray();
    }
}
