package dev.gossip.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and resolves seed addresses as Serf accepts them: {@code host}, {@code host:port},
 * {@code [ipv6]:port} or {@code name/host:port} (the name is ignored). A DNS name resolves to
 * all its addresses, so a Kubernetes headless service lists every pod.
 */
public final class SeedAddress {

    private SeedAddress() {}

    /**
     * @throws IllegalArgumentException with a message naming the seed when it is malformed or
     *     does not resolve
     */
    public static List<InetSocketAddress> resolve(String seed, int defaultPort) {
        String s = seed.trim();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Seed '" + seed + "' has an unclosed '[': use [ipv6]:port");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                port = port(seed, s.substring(close + 1).replaceFirst("^:", ""));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(seed, s.substring(s.indexOf(':') + 1));
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Seed '" + seed + "' has no host: use host:port");
        }
        try {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(new InetSocketAddress(a, port));
            }
            return out;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Seed '" + seed + "' does not resolve: unknown host '" + host + "'");
        }
    }

    /**
     * Whether the seed's host is an IP literal, so resolving it does no DNS lookup and cannot block
     * (a malformed seed answers true: resolving it fails at once, without a lookup).
     */
    public static boolean isLiteral(String seed) {
        String s = seed.trim();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        if (s.startsWith("[")) {
            return true; // [ipv6]:port
        }
        String host = s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') ? s.substring(0, s.indexOf(':')) : s;
        return host.isEmpty() || host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static int port(String seed, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Seed '" + seed + "' has an invalid port '" + text
                    + "': use host:port with a port between 1 and 65535");
        }
    }
}
