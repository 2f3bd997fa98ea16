package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.TransportException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The gossip port could not be bound. The message says what to change in plain words ("bind
 * port", "bind address"); {@link #address()}, {@link #protocol()} and {@link #reason()} let a
 * configuration layer write its own message naming its property.
 */
public final class PortBindException extends TransportException {

    private final InetSocketAddress address;
    private final String protocol;
    private final String reason;

    PortBindException(InetSocketAddress address, String protocol, Throwable cause) {
        this(address, protocol, Diagnosis.of(cause), cause);
    }

    private PortBindException(InetSocketAddress address, String protocol, Diagnosis diagnosis,
                              Throwable cause) {
        super("Cannot bind gossip port " + format(address) + " (" + protocol + "): "
                + diagnosis.reason + ". " + diagnosis.advice, cause);
        this.address = address;
        this.protocol = protocol;
        this.reason = diagnosis.reason;
    }

    /** The address that could not be bound. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code "TCP"} or {@code "UDP"}. */
    public String protocol() {
        return protocol;
    }

    /** Why, in a few words, e.g. {@code "address already in use"}. */
    public String reason() {
        return reason;
    }

    /** {@code host:port}, with brackets around IPv6 literals. */
    static String format(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return address.getHostString() + ":" + address.getPort();
        }
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
                + ":" + address.getPort();
    }

    /** Turns the OS's error text into a reason and a piece of advice. */
    private record Diagnosis(String reason, String advice) {

        static Diagnosis of(Throwable cause) {
            String text = cause == null || cause.getMessage() == null
                    ? String.valueOf(cause) : cause.getMessage();
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("already in use")) {
                return new Diagnosis("address already in use",
                        "Set a free bind port or stop the process using it.");
            }
            if (lower.contains("assign requested address")
                    || lower.contains("address not available")) {
                return new Diagnosis("the address does not belong to this host",
                        "Set a bind address of a local network interface (or 0.0.0.0).");
            }
            if (lower.contains("permission denied") || lower.contains("access denied")) {
                return new Diagnosis("permission denied",
                        "Ports below 1024 need privileges; set a bind port above 1023.");
            }
            return new Diagnosis(text, "Check the bind address and bind port.");
        }
    }
}
