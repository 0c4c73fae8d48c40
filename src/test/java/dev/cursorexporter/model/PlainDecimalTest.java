package dev.cursorexporter.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlainDecimalTest {

    /** What the datasource wrote before: BigDecimal's own stripping, exponent form turned plain. */
    private static BigDecimal reference(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    @ParameterizedTest
    @CsvSource({
            "0.00, 0", "150, 1.5", "1500, 15", "100, 1", "0.01, 0.0001", "-250.50, -2.505", "12345678901234567, "
            + "123456789012345.67", "99999999999999999999, 999999999999999999.99", "1E+3, 10", "0.123456, 0.00123456"})
    void usdPlainIsCentsOverAHundredWithoutTrailingZeros(String cents, String usd) {
        BigDecimal got = Money.usdPlain(new BigDecimal(cents));
        assertEquals(usd, got.toString());
        assertEquals(reference(new BigDecimal(cents).divide(BigDecimal.valueOf(100))), got);
    }

    @Test
    void equalsBigDecimalsOwnStrippingToTheScale() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long unscaled = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextLong(-1_000_000, 1_000_000) * 1_000;
                case 2 -> random.nextLong(0, 100);
                default -> random.nextLong(-10, 10) * 1_000_000_000_000L;
            };
            int scale = random.nextInt(-3, 12);
            BigDecimal value = BigDecimal.valueOf(unscaled, scale);
            BigDecimal got = PlainDecimal.of(value);
            // equals compares the scale too: the same digits, the same scale, the same text
            assertEquals(reference(value), got, value::toString);
            assertEquals(reference(value).toString(), got.toString());
            if (scale >= 0) {
                assertEquals(reference(value), PlainDecimal.of(unscaled, scale), value::toString);
            }
        }
    }
}
