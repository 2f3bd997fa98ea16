package dev.gossip.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An immutable view of one cluster member.
 *
 * @param name unique node name
 * @param address advertised IP address
 * @param port advertised gossip port
 * @param tags the member's tags (Serf tags; in Spring: service id, port, status, zone, ...)
 * @param status Serf status: alive, leaving, left or failed
 * @param suspect the failure detector currently suspects it (it may still refute)
 * @param protocolMin memberlist protocol range and current version, then Serf's (delegate)
 * @param incarnation the member's incarnation number
 */
public record Member(String name, InetAddress address, int port, Map<String, String> tags,
                     MemberStatus status, boolean suspect, int protocolMin, int protocolMax,
                     int protocolCur, int delegateMin, int delegateMax, int delegateCur,
                     long incarnation) {

    public Member {
        tags = Map.copyOf(tags);
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    public String tag(String key) {
        return tags.get(key);
    }

    @Override
    public String toString() {
        return name + " " + address.getHostAddress() + ":" + port + " " + status.serfName()
                + (suspect ? " (suspect)" : "") + " " + tags;
    }
}
