package dev.cursorexporter.store;

/** Both halves of the Enterprise sources' storage, as the store implementation provides them. */
public interface EnterpriseStore extends EnterpriseReader, EnterpriseWriter {
}
