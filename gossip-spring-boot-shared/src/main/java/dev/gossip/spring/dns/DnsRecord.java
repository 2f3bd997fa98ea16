package dev.gossip.spring.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * One resource record we answer with: an address (A, AAAA) or a service location (SRV).
 *
 * @param name owner name, as labels
 * @param address the A/AAAA address; null for SRV
 * @param target the SRV target, as labels; null for A/AAAA
 */
record DnsRecord(List<String> name, int type, long ttl, InetAddress address, int priority, int weight, int port,
                 List<String> target) {

    static DnsRecord address(List<String> name, InetAddress address, long ttl) {
        int type = address instanceof Inet4Address ? Dns.TYPE_A : Dns.TYPE_AAAA;
        return new DnsRecord(name, type, ttl, address, 0, 0, 0, null);
    }

    /** RFC 2782: priority and weight 1 for every instance, clients spread the load evenly. */
    static DnsRecord srv(List<String> name, int port, List<String> target, long ttl) {
        return new DnsRecord(name, Dns.TYPE_SRV, ttl, null, 1, 1, port, target);
    }
}
