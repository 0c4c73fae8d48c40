package dev.cursorexporter.metrics;

/**
 * zlib's {@code crc32_combine}: the CRC-32 of A followed by B from CRC(A), CRC(B) and the length of B, by
 * appending len(B) zero bits to CRC(A) with GF(2) matrix squaring (zlib 1.2.x, crc32.c; zlib licence). The JDK
 * has no such function and its {@code CRC32} cannot start from a given value.
 */
final class Crc32Combine {
    private static final int DIM = 32;
    private static final long POLYNOMIAL = 0xedb88320L;

    private Crc32Combine() {
    }

    static long combine(long crc1, long crc2, long len2) {
        if (len2 <= 0) {
            return crc1;
        }
        long[] even = new long[DIM];
        long[] odd = new long[DIM];
        odd[0] = POLYNOMIAL; // the operator for one zero bit
        long row = 1;
        for (int n = 1; n < DIM; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crc1;
        long remaining = len2; // in bytes: the first squaring inside the loop makes the operator one byte
        do {
            square(even, odd);
            if ((remaining & 1) != 0) {
                crc = times(even, crc);
            }
            remaining >>= 1;
            if (remaining == 0) {
                break;
            }
            square(odd, even);
            if ((remaining & 1) != 0) {
                crc = times(odd, crc);
            }
            remaining >>= 1;
        } while (remaining != 0);
        return (crc ^ crc2) & 0xffffffffL;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int n = 0; n < DIM; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }
}
