package dev.cursorexporter.store;

/** Both halves of the OTLP receiver's storage, as the store implementation provides them. */
public interface OtelStore extends OtelReader, OtelWriter {
}
