package dev.cursorexporter.metrics;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip body whose large first part is compressed once and whose small last part is compressed per request: the
 * snapshot part of {@code /metrics} is the same for every scrape until the next rebuild (megabytes at 1,000
 * members), the exporter's own meters change with every scrape (a few KB). Prometheus asks for gzip on every
 * scrape; compressing the whole body each time costs far more CPU than serving it, and sending it uncompressed
 * sends ten times the bytes.
 *
 * <p>One gzip member, not two concatenated ones: curl and other clients stop after the first member. The first
 * part is raw deflate ended by a sync flush (byte-aligned, no final block), so the last part's own raw deflate
 * stream can follow it; the trailer's CRC-32 is combined from the two parts' CRCs without reading the first part
 * again.
 */
final class GzipBody {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int CHUNK = 64 * 1024;

    private final List<byte[]> deflated;
    private final long crc;
    private final long length;

    private GzipBody(List<byte[]> deflated, long crc, long length) {
        this.deflated = deflated;
        this.crc = crc;
        this.length = length;
    }

    /** {@code pieces} (in order) compressed as the first part. */
    static GzipBody of(List<byte[]> pieces) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            CRC32 crc = new CRC32();
            long length = 0;
            List<byte[]> out = new ArrayList<>();
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK);
            byte[] buffer = new byte[CHUNK];
            for (byte[] piece : pieces) {
                crc.update(piece);
                length += piece.length;
                deflater.setInput(piece);
                while (!deflater.needsInput()) {
                    drain(deflater, buffer, Deflater.NO_FLUSH, chunk, out);
                }
            }
            int n;
            do { // ends on a byte boundary without a final block, so that another deflate stream may follow
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                chunk.write(buffer, 0, n);
            } while (n == buffer.length);
            out.add(chunk.toByteArray());
            return new GzipBody(List.copyOf(out), crc.getValue(), length);
        } finally {
            deflater.end();
        }
    }

    private static void drain(Deflater deflater, byte[] buffer, int flush, ByteArrayOutputStream chunk,
                              List<byte[]> out) {
        int n = deflater.deflate(buffer, 0, buffer.length, flush);
        chunk.write(buffer, 0, n);
        if (chunk.size() >= CHUNK) {
            out.add(chunk.toByteArray());
            chunk.reset();
        }
    }

    /** The whole gzip body: header, the first part, {@code last} compressed now, trailer. */
    List<byte[]> followedBy(byte[] last) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        ByteArrayOutputStream tail = new ByteArrayOutputStream(Math.max(64, last.length / 4));
        try {
            deflater.setInput(last);
            deflater.finish();
            byte[] buffer = new byte[8 * 1024];
            while (!deflater.finished()) {
                tail.write(buffer, 0, deflater.deflate(buffer));
            }
        } finally {
            deflater.end();
        }
        CRC32 lastCrc = new CRC32();
        lastCrc.update(last);
        long whole = Crc32Combine.combine(crc, lastCrc.getValue(), last.length);
        writeIntLe(tail, whole);
        writeIntLe(tail, length + last.length); // ISIZE: the length modulo 2^32
        List<byte[]> body = new ArrayList<>(deflated.size() + 2);
        body.add(HEADER);
        body.addAll(deflated);
        body.add(tail.toByteArray());
        return body;
    }

    private static void writeIntLe(ByteArrayOutputStream out, long v) {
        out.write((int) v & 0xff);
        out.write((int) (v >>> 8) & 0xff);
        out.write((int) (v >>> 16) & 0xff);
        out.write((int) (v >>> 24) & 0xff);
    }
}
