package dev.cursorexporter.config;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code CURSOR_EXPORTER_MAX_ANSWER_SIZE} / {@code sync.max_answer_size}: what each way of writing it reads as. */
class AnswerSizeConfigTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "env ''{0}'', yaml ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-          | -      | 33554432",   // default 32 MiB
            "65536      | -      | 65536",
            "512KiB     | -      | 524288",
            "64MiB      | -      | 67108864",
            "1GiB       | -      | 1073741824",
            "' 8 MiB '  | -      | 8388608",     // spaces around and before the unit
            "-          | 16MiB  | 16777216",
            "4MiB       | 16MiB  | 4194304",     // the environment overrides the file
    })
    void sizesRead(String env, String yaml, long bytes) throws Exception {
        Map<String, String> all = new HashMap<>();
        if (env != null) {
            all.put("CURSOR_EXPORTER_MAX_ANSWER_SIZE", env);
        }
        if (yaml != null) {
            all.put("CURSOR_EXPORTER_CONFIG",
                    Files.writeString(tmp.resolve("c.yaml"), "sync:\n  max_answer_size: " + yaml + "\n").toString());
        }
        ExporterConfig config = ConfigLoader.load(all);
        assertEquals(bytes, config.sync().maxAnswerBytes());
        assertEquals("answer limit: " + ByteSizes.format(bytes),
                ConfigDescription.describe(config, java.util.Optional.empty()).lines()
                        .filter(l -> l.startsWith("answer limit: ")).findFirst().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({"33554432, 32MiB", "1073741824, 1GiB", "524288, 512KiB", "65537, 65537 bytes"})
    void sizesAreShownInTheLargestUnitThatDividesThem(long bytes, String shown) {
        assertEquals(shown, ByteSizes.format(bytes));
    }
}
