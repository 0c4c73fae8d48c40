package dev.cursorexporter.store;

/** A store operation failed (I/O, corrupt file, SQL error); the transaction it belonged to was rolled back. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
