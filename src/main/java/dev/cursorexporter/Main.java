package dev.cursorexporter;

/** Entry point: {@code serve} (default), {@code check-config}, {@code simulate}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("wired in a later commit");
    }
}
