package dev.gossip.spring.dns;

import dev.gossip.spring.support.GossipStartupException;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Reads spring.cloud.gossip.dns.address and .domain, failing the start with the property to fix. */
final class DnsSettings {

    private DnsSettings() {}

    /** {@code host:port} or {@code [v6]:port}. */
    static InetSocketAddress address(String value) {
        String v = value == null ? "" : value.trim();
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(v.substring(colon + 1));
            if (host.isEmpty() || port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new NumberFormatException();
            }
            return address;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new GossipStartupException(GossipDnsAutoConfiguration.ADDRESS, "'" + value
                    + "' is not a host:port of this host", "Set " + GossipDnsAutoConfiguration.ADDRESS
                    + " to host:port, e.g. 127.0.0.1:8600", e);
        }
    }

    /** Lower case, without leading or trailing dots; each label 1 to 63 characters. */
    static String domain(String value) {
        String d = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        // leave room in 255 bytes for <service>.service. or <member>.node. before it
        boolean valid = !d.isEmpty() && d.length() <= Dns.MAX_NAME - 2 * Dns.MAX_LABEL;
        for (String label : d.split("\\.", -1)) {
            valid &= DnsAnswerer.isLabel(label);
        }
        if (!valid) {
            throw new GossipStartupException(GossipDnsAutoConfiguration.DOMAIN, "'" + value + "' is not a DNS domain",
                    "Set " + GossipDnsAutoConfiguration.DOMAIN + " to a name such as gossip or cluster.internal", null);
        }
        return d;
    }
}
