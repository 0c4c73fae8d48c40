package dev.cursorexporter.model;

import java.util.List;

/**
 * One Analytics API response.
 *
 * @param points      the rows, flattened; empty when {@code notModified}
 * @param etag        the {@code ETag} to send as {@code If-None-Match} next time, or null when none was sent
 * @param notModified 304: the data stored under the previous ETag is still current
 */
public record AnalyticsAnswer(List<AnalyticsPoint> points, String etag, boolean notModified) {
    public AnalyticsAnswer {
        points = List.copyOf(points);
    }
}
