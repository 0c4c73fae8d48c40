package dev.cursorexporter.cursor;

import dev.cursorexporter.model.UsageEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * The client's own parsing of one usage-events page (same mapper, same {@link PayloadParser}), without the
 * network, so a benchmark can time parsing alone against parsing plus storing.
 */
public final class EventPages {
    private final ObjectMapper mapper = CursorClient.newMapper();
    private final PayloadParser parser = new PayloadParser();

    /** The events of one {@code /teams/filtered-usage-events} response body, as the client would hand them on. */
    public List<UsageEvent> parse(String body) {
        try {
            return parser.events(mapper.readTree(body)).items();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a usage-events page: " + e.getOriginalMessage(), e);
        }
    }
}
