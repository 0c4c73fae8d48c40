package dev.cursorexporter.otlp;

import dev.cursorexporter.model.OtelIdentity;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * What an OTLP resource says about who sent its metrics or records (Cursor sends one resource per team, user,
 * surface, entrypoint and client version): the user as sent and the surface. The rest of it is not kept.
 */
record Sender(OtelIdentity who, String surface) {

    /** Reads {@code resource}, counting its attributes the wire reference does not name into {@code tally}. */
    static Sender of(Resource resource, Tally tally) {
        Attributes a = Attributes.of(resource.getAttributesList());
        tally.ignore("unknown_attribute", a.unknown(WireNames.RESOURCE));
        return new Sender(new OtelIdentity(a.string(WireNames.EMAIL), a.string(WireNames.ACCOUNT_ID)),
                a.stringOr(WireNames.SURFACE, "unspecified"));
    }
}
