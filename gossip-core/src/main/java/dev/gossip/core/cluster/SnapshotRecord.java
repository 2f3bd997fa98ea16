package dev.gossip.core.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One line of a Serf snapshot file (serf snapshot.go), so a file written by {@code serf agent
 * -snapshot} reads here and ours reads there. The format is text, one record a line:
 * {@code alive: <name> <ip:port>}, {@code not-alive: <name>}, {@code clock: n},
 * {@code event-clock: n}, {@code query-clock: n}, {@code leave}; {@code coordinate: …} (no longer
 * written by serf) and {@code #} comments are ignored.
 */
sealed interface SnapshotRecord {

    /** The text of this record without its newline; null for records that are never written. */
    String line();

    /** A member joined; {@code address} as Go's {@code net.TCPAddr.String()} prints it. */
    record Alive(String name, String address) implements SnapshotRecord {
        @Override
        public String line() {
            return "alive: " + name + " " + address;
        }
    }

    /** A member left or failed: no longer one to rejoin. */
    record NotAlive(String name) implements SnapshotRecord {
        @Override
        public String line() {
            return "not-alive: " + name;
        }
    }

    /** The last value seen of one of the three Lamport clocks (unsigned, as serf's uint64). */
    record Clock(ClockKind kind, long value) implements SnapshotRecord {
        @Override
        public String line() {
            return kind.prefix + Long.toUnsignedString(value);
        }
    }

    /** We left gracefully: on replay, forget everyone unless rejoin-after-leave. */
    record Leave() implements SnapshotRecord {
        @Override
        public String line() {
            return "leave";
        }
    }

    /** A comment or an obsolete {@code coordinate:} line: read without complaint. */
    record Ignored() implements SnapshotRecord {
        @Override
        public String line() {
            return null;
        }
    }

    /** A line that could not be read; replay skips it and counts it. */
    record Unreadable(String why) implements SnapshotRecord {
        @Override
        public String line() {
            return null;
        }
    }

    /** The three clocks of §7.2 and the prefix of each in the file. */
    enum ClockKind {
        MEMBER("clock: "),
        EVENT("event-clock: "),
        QUERY("query-clock: ");

        final String prefix;

        ClockKind(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * Reads one line (without its newline) as serf snapshot.go:replay does: the address of an
     * alive member is after the last space, since names may contain spaces. Never throws.
     */
    static SnapshotRecord parse(String line) {
        if (line.startsWith("alive: ")) {
            String info = line.substring("alive: ".length());
            int space = info.lastIndexOf(' ');
            if (space < 0) {
                return new Unreadable("no address");
            }
            return new Alive(info.substring(0, space), info.substring(space + 1));
        }
        if (line.startsWith("not-alive: ")) {
            return new NotAlive(line.substring("not-alive: ".length()));
        }
        for (ClockKind kind : ClockKind.values()) {
            if (line.startsWith(kind.prefix)) {
                try {
                    return new Clock(kind, Long.parseUnsignedLong(line.substring(kind.prefix.length())));
                } catch (NumberFormatException e) {
                    return new Unreadable("bad " + kind.prefix.trim() + " value");
                }
            }
        }
        if (line.equals("leave")) {
            return new Leave();
        }
        if (line.startsWith("coordinate: ") || line.startsWith("#")) {
            return new Ignored();
        }
        return new Unreadable("unknown record");
    }

    /** {@code ip:port}, IPv6 as {@code [addr]:port}: the text Go's TCPAddr prints and parses. */
    static String address(InetAddress ip, int port) {
        String host = ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The socket address of an {@link Alive} record if it is an IP literal with a port, else null:
     * no DNS, as serf only ever writes literals and a lookup could block.
     */
    static InetSocketAddress socketAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return null;
        }
        String host = address.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null; // IPv6 without brackets: the port is ambiguous
        }
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!(v4 || bracketed && host.matches("[0-9A-Fa-f:.]+(%[\\w.-]+)?")) || host.isEmpty()) {
            return null;
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return null;
            }
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (NumberFormatException | java.net.UnknownHostException e) {
            return null;
        }
    }
}
