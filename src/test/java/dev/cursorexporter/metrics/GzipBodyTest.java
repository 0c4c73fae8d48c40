package dev.cursorexporter.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GzipBodyTest {

    @Test
    void crc32CombineEqualsTheCrcOfTheConcatenation() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            byte[] a = bytes(random, random.nextInt(0, 5000));
            byte[] b = bytes(random, i % 50 == 0 ? 0 : random.nextInt(0, 70_000));
            CRC32 whole = new CRC32();
            whole.update(a);
            whole.update(b);
            assertEquals(whole.getValue(), Crc32Combine.combine(crc(a), crc(b), b.length), "lengths " + a.length
                    + ", " + b.length);
        }
    }

    @Test
    void theFirstPartCompressedOnceAndAnyLastPartMakeOneValidGzipMember() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> pieces = new ArrayList<>();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) { // exposition-like text, some pieces empty, some larger than a chunk
            byte[] piece = text(random, i % 7 == 0 ? 0 : random.nextInt(1, i % 5 == 0 ? 200_000 : 3_000));
            pieces.add(piece);
            first.write(piece);
        }
        GzipBody body = GzipBody.of(pieces);
        for (byte[] last : List.of(new byte[0], text(random, 10), text(random, 20_000))) {
            ByteArrayOutputStream gzip = new ByteArrayOutputStream();
            body.followedBy(last).forEach(gzip::writeBytes);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(first.toByteArray());
            expected.write(last);
            assertArrayEquals(expected.toByteArray(), inflateOneMember(gzip.toByteArray()));
        }
    }

    /**
     * The body of a gzip file with exactly one member, its CRC-32 and length checked; fails if anything follows the
     * member (a second member would be lost on clients that read only the first, such as curl).
     */
    static byte[] inflateOneMember(byte[] gzip) throws DataFormatException {
        assertEquals(0x1f, gzip[0] & 0xff);
        assertEquals(0x8b, gzip[1] & 0xff);
        assertEquals(8, gzip[2]);
        assertEquals(0, gzip[3], "no optional header fields");
        Inflater inflater = new Inflater(true);
        inflater.setInput(gzip, 10, gzip.length - 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            assertTrue(n > 0 || !inflater.needsInput(), "the deflate stream ends before its final block");
            out.write(buffer, 0, n);
        }
        assertEquals(8, inflater.getRemaining(), "exactly the trailer follows the deflate stream");
        inflater.end();
        byte[] body = out.toByteArray();
        ByteBuffer trailer = ByteBuffer.wrap(gzip, gzip.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(crc(body), Integer.toUnsignedLong(trailer.getInt()), "CRC-32");
        assertEquals(body.length, trailer.getInt(), "ISIZE");
        return body;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] text(SplittableRandom random, int n) {
        String alphabet = "cursor_usage_cost_usd_total{user=\"ana@acme.io\",model=\"gpt-5\"} 12.5\n";
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return b;
    }
}
