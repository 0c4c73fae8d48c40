package dev.cursorexporter.api;

import dev.cursorexporter.model.ReloadResult;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /-/reload}: re-reads the configuration as SIGHUP does (Prometheus' own endpoint has this name), behind
 * the same credentials as every other endpoint. 200 with what changed, and what waits for a restart, when the new
 * configuration applies; 400 with the problems when it is refused and the running one is kept.
 */
final class ReloadRoute {
    private final ReloadTrigger reload;

    ReloadRoute(ReloadTrigger reload) {
        this.reload = reload;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/-/reload", this::reload);
    }

    private void reload(Context ctx) {
        ReloadResult result = reload.reload();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", result.applied() ? "applied" : "refused");
        if (!result.applied()) {
            out.put("error", "invalid configuration; the running configuration is kept");
            out.put("problems", result.problems());
        } else {
            out.put("changed", result.changed());
            out.put("needsRestart", result.needsRestart());
        }
        ctx.status(result.applied() ? HttpStatus.OK : HttpStatus.BAD_REQUEST).json(out);
    }
}
