package dev.cursorexporter.cursor;

import dev.cursorexporter.model.EventsRead;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.cursorexporter.cursor.ClientTestKit.SETTINGS;
import static dev.cursorexporter.cursor.ClientTestKit.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a paged read of usage events says about itself: only a read that is stable, refused nothing for its values,
 * holds as many rows as declared and is not empty may replace the stored events of its days.
 */
class EventsReadTest {
    private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-02T23:59:59.999Z");
    private final ClientTestKit kit = new ClientTestKit();
    private final CursorClient client = kit.client(SETTINGS.withPageSizes(2, 2, 2));

    @AfterEach
    void tearDown() {
        client.close();
        kit.close();
    }

    static Stream<Arguments> reads() {
        return Stream.of(
                Arguments.of("two full pages as declared",
                        new String[] {page(4, 1, 2, ev(1), ev(2)), page(4, 2, 2, ev(3), ev(4))},
                        new EventsRead(4, 0, 0, 4, false), true, true, true),
                Arguments.of("no total declared: cannot show its pages ended where Cursor's do",
                        new String[] {"{\"usageEvents\":[" + ev(1) + "]}"},
                        new EventsRead(1, 0, 0, 0, false), true, true, false),
                Arguments.of("the total grows while paging: pages may have shifted",
                        new String[] {page(4, 1, 2, ev(1), ev(2)), page(5, 2, 2, ev(2), ev(3))},
                        new EventsRead(4, 0, 0, 4, true), false, false, false),
                Arguments.of("fewer rows than declared: the server stopped early",
                        new String[] {page(5, 1, 2, ev(1), ev(2)), page(5, 2, 2, ev(3))},
                        new EventsRead(3, 0, 0, 5, false), true, false, false),
                Arguments.of("a row refused for its value keeps its stored version",
                        new String[] {page(2, 1, 1, ev(1), "{\"timestamp\":\"" + (ms(2)) + "\",\"chargedCents\":-5}")},
                        new EventsRead(1, 1, 0, 2, false), true, true, false),
                Arguments.of("a row outside the window is not part of it",
                        new String[] {page(2, 1, 1, ev(1), "{\"timestamp\":\"" + (FROM.toEpochMilli() - 1) + "\"}")},
                        new EventsRead(1, 0, 1, 2, false), true, true, true),
                Arguments.of("a total on the first page only is not drift",
                        new String[] {page(3, 1, 2, ev(1), ev(2)), "{\"pagination\":{\"numPages\":2,\"currentPage\":2,"
                                + "\"hasNextPage\":false},\"usageEvents\":[" + ev(3) + "]}"},
                        new EventsRead(3, 0, 0, 3, false), true, true, true),
                Arguments.of("an empty answer never erases stored days",
                        new String[] {page(0, 1, 0)},
                        new EventsRead(0, 0, 0, 0, false), true, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void aReadSaysWhetherItIsTheWholeWindow(String name, String[] pages, EventsRead expected, boolean stable,
                                            boolean nothingMissed, boolean complete) {
        Arrays.stream(pages).forEach(p -> kit.enqueue(json(p)));
        EventsRead read = client.usageEvents(FROM, TO, page -> { });
        assertEquals(expected, read);
        assertEquals(stable, read.stable(), "stable");
        assertEquals(nothingMissed, read.nothingMissed(), "nothing missed");
        assertEquals(complete, read.complete(), "complete");
    }

    private static String page(long total, int page, long numPages, String... events) {
        return "{\"totalUsageEventsCount\":" + total + ",\"pagination\":{\"numPages\":" + numPages
                + ",\"currentPage\":" + page + ",\"hasNextPage\":" + (page < numPages) + "},\"usageEvents\":["
                + String.join(",", events) + "]}";
    }

    private static long ms(long offset) {
        return FROM.toEpochMilli() + offset;
    }

    private static String ev(long offset) {
        return "{\"timestamp\":\"" + ms(offset) + "\",\"userEmail\":\"a@example.com\",\"kind\":\"Usage-based\"}";
    }
}
