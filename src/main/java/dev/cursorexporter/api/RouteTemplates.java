package dev.cursorexporter.api;

import dev.cursorexporter.metrics.HttpRequestRecorder;
import io.javalin.config.RouterConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.matcher.PathParser;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The route template a request is counted under in the HTTP request metrics: the endpoint Javalin matched, or, for a
 * request refused before its endpoint ran (401, 413), the template of the endpoint its path would have matched.
 * A path no endpoint has is {@link HttpRequestRecorder#UNMATCHED}, so no label value ever comes from a client.
 */
final class RouteTemplates {
    private record Template(HandlerType method, String path, PathParser parser) {
    }

    private final List<Template> templates = new CopyOnWriteArrayList<>();

    /** Called for every handler Javalin adds; only HTTP endpoints count (not before/after handlers). */
    void added(HandlerType method, String path, RouterConfig router) {
        if (method.isHttpMethod()) {
            templates.add(new Template(method, path, new PathParser(path, router)));
        }
    }

    String of(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched != null) {
            return matched.path;
        }
        for (Template t : templates) {
            if (t.method() == ctx.method() && t.parser().matches(ctx.path())) {
                return t.path();
            }
        }
        return HttpRequestRecorder.UNMATCHED;
    }
}
