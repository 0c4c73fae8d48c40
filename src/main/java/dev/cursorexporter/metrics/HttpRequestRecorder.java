package dev.cursorexporter.metrics;

/** Records one answered HTTP request of the exporter's own server ({@link MetricsPlane#httpRequests()}). */
@FunctionalInterface
public interface HttpRequestRecorder {
    /** The {@code route} of a request no route matched (404, 405): one value, whatever the path was. */
    String UNMATCHED = "unmatched";

    /**
     * @param route   the matched path template, or {@link #UNMATCHED}
     * @param seconds from arrival to the end of the answer
     */
    void record(String route, String method, int code, double seconds);
}
