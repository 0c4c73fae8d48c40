package dev.cursorexporter.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The address the exporter listens on ({@code CURSOR_EXPORTER_BIND_ADDRESS}, {@code server.bind_address}, the host
 * part of {@code --web.listen-address}). Checked at start rather than when Jetty binds, so that a typo is a problem
 * line naming the key and not a stack trace after the store was opened.
 */
public final class BindAddress {
    /** What the servers bind when no address is configured: every interface. */
    public static final String ALL_INTERFACES = "0.0.0.0";
    private static final Pattern HOST_AND_PORT = Pattern.compile("[^:\\[\\]]*:\\d*");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    private BindAddress() {
    }

    /**
     * The address as the servers take it: an IP literal (an IPv6 one with or without brackets) or a host name that
     * resolves to an address of this machine; {@code 0.0.0.0} and {@code ::} mean every interface.
     *
     * @throws IllegalArgumentException with a message that completes {@code <key>: }
     */
    public static String parse(String raw) {
        String text = raw.trim();
        if (text.contains("/")) {
            throw new IllegalArgumentException("must be a host name or IP address, without scheme or path, got "
                    + Redaction.quote(raw));
        }
        if (HOST_AND_PORT.matcher(text).matches()) {
            throw new IllegalArgumentException("must be an address without a port (the port is a setting of its own), "
                    + "got " + Redaction.quote(raw));
        }
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean literal = host.contains(":") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
        if (!literal && !HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("must be a host name or IP address, got " + Redaction.quote(raw));
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException(literal ? "is not a valid IP address, got " + Redaction.quote(raw)
                    : "cannot resolve the host name " + Redaction.quote(raw));
        }
        if (!isLocal(address)) {
            throw new IllegalArgumentException(Redaction.quote(raw) + " is not an address of this machine (use one of "
                    + "its interfaces' addresses, a loopback address such as 127.0.0.1, or 0.0.0.0 for all)");
        }
        return host;
    }

    /** Whether {@code host} (as {@link #parse} returns it) is a wildcard: every interface. */
    public static boolean isAllInterfaces(String host) {
        return host.equals(ALL_INTERFACES) || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
