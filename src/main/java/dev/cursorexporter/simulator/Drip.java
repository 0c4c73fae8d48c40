package dev.cursorexporter.simulator;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;

/** Writes an answer a few bytes at a time, flushing each chunk, so the client never sees a long silence. */
final class Drip {
    private static final long TICK_MS = 100;

    private Drip() {
    }

    static void send(Context ctx, byte[] body, int bytesPerSecond) throws InterruptedException {
        int chunk = (int) Math.max(1, bytesPerSecond * TICK_MS / 1000);
        ctx.header("Content-Length", Integer.toString(body.length));
        try {
            OutputStream out = ctx.outputStream();
            for (int i = 0; i < body.length; i += chunk) {
                out.write(body, i, Math.min(chunk, body.length - i));
                out.flush();
                Thread.sleep(TICK_MS);
            }
        } catch (IOException clientGaveUp) {
            // the client's deadline ended the call: nothing left to send to
        }
    }
}
