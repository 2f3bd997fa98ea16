package dev.gossip.core;

import dev.gossip.core.security.Encryption;
import dev.gossip.core.time.SerialScheduler;
import dev.gossip.core.transport.netty.NettyTransport;
import dev.gossip.core.wire.StreamFraming;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/** The production runtime: one protocol thread, Netty UDP + TCP on one port, SecureRandom. */
final class RealRuntime {

    /**
     * Largest stream message we accept, as sent: memberlist's maxPushStateBytes (20 MiB, the most
     * it reads of an encrypted push/pull, net.go:decryptRemoteState) plus that frame's 5-byte
     * header. Plaintext streams get the same bound.
     */
    static final int MAX_STREAM_BYTES = Encryption.STREAM_HEADER_LENGTH + Encryption.MAX_STREAM_ENCRYPTED_LENGTH;

    private RealRuntime() {}

    static GossipNode.Runtime create(GossipConfig config) {
        SerialScheduler scheduler = new SerialScheduler(config.nodeName());
        NettyTransport transport = NettyTransport.builder()
                .framer(new StreamFraming(MAX_STREAM_BYTES, encrypted(config)))
                .bindAddress(new InetSocketAddress(config.bindAddress(), config.bindPort()))
                .maxStreamBytes(MAX_STREAM_BYTES)
                .streamTimeout(config.timings().tcpTimeout())
                .name(config.nodeName())
                .build();
        return new GossipNode.Runtime(scheduler, transport, new SecureRandom(), scheduler::close);
    }

    /**
     * Whether streams must arrive encrypted. Fixed for the node's life although key queries swap
     * the keyring: they change keys in a ring, never add a ring where there was none or take it
     * away (serf's internal_query.go:handleInstallKey and friends refuse without a keyring, and
     * the primary key cannot be removed).
     */
    private static boolean encrypted(GossipConfig config) {
        return config.keyring() != null;
    }
}
