package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts refused rows into {@link ApiCallListener#onRejected} and logs the first of each source and reason with
 * its key fields (at WARN, once per process: the counter shows whether it keeps happening; later ones at DEBUG).
 */
final class RejectionLog {
    private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);

    private final ApiCallListener listener;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    RejectionLog(ApiCallListener listener) {
        this.listener = listener;
    }

    void report(Source source, List<Rejection> rejected) {
        if (rejected.isEmpty()) {
            return;
        }
        Map<String, List<Rejection>> byReason = new TreeMap<>();
        for (Rejection r : rejected) {
            byReason.computeIfAbsent(r.reason(), k -> new java.util.ArrayList<>()).add(r);
        }
        byReason.forEach((reason, rows) -> {
            listener.onRejected(source.label(), reason, rows.size());
            String message = "{}: refused {} row(s) ({}), e.g. {}; the rest is stored, counted in "
                    + "cursor_exporter_rejected_rows_total";
            if (logged.add(source.label() + "/" + reason)) {
                LOG.warn(message, source.label(), rows.size(), reason, rows.get(0).detail());
            } else {
                LOG.debug(message, source.label(), rows.size(), reason, rows.get(0).detail());
            }
        });
    }
}
