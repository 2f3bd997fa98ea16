package dev.gossip.core.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP addresses as they travel in messages: 4 bytes (IPv4) or 16 (IPv6), nothing else (§11.15). */
public final class IpAddresses {

    private IpAddresses() {}

    /** The address, or null when the bytes are not a valid IP (counted as a drop by callers). */
    public static InetAddress toInet(byte[] ip) {
        if (ip == null || (ip.length != 4 && ip.length != 16)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
