package dev.cursorexporter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP reloads the configuration, as it does for Prometheus and its exporters, instead of the JVM's default of
 * running the shutdown hooks and stopping. {@code sun.misc.Signal} (module jdk.unsupported) is the only way the JDK
 * offers to handle a signal; it is kept to this class. Installed before the exporter starts, so that a SIGHUP during
 * a long start is ignored (logged) rather than stopping it. The JVM runs each handler on a thread of its own, so a
 * reload never blocks the signal dispatcher. A process started with SIGHUP ignored ({@code nohup}) keeps ignoring it.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private volatile Runnable reload;

    private ReloadSignal() {
    }

    /** From now on SIGHUP runs what {@link #reloadWith} names; where the platform has no SIGHUP, says so. */
    static ReloadSignal install() {
        ReloadSignal signal = new ReloadSignal();
        try {
            Signal.handle(new Signal("HUP"), s -> signal.received());
        } catch (IllegalArgumentException e) {
            LOG.warn("this platform has no SIGHUP ({}); reload with POST /-/reload", e.getMessage());
        }
        return signal;
    }

    /** What SIGHUP runs once the exporter has started. */
    void reloadWith(Runnable action) {
        this.reload = action;
    }

    private void received() {
        Runnable action = reload;
        if (action == null) {
            LOG.warn("SIGHUP before the exporter finished starting: ignored, nothing to reload yet");
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            // the process must survive a reload that failed in an unforeseen way
            LOG.error("configuration reload on SIGHUP failed; the running configuration is kept", e);
        }
    }
}
