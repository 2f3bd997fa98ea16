package dev.gossip.core;

import dev.gossip.core.security.Encryption;
import dev.gossip.core.time.SerialScheduler;
import dev.gossip.core.transport.netty.NettyTransport;
import dev.gossip.core.transport.netty.TransportDrop;
import dev.gossip.core.wire.StreamFraming;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.function.Predicate;

/** The production runtime: one protocol thread, Netty UDP + TCP on one port, SecureRandom. */
final class RealRuntime {

    /**
     * Largest stream message we accept, as sent: memberlist's maxPushStateBytes (20 MiB, the most
     * it reads of an encrypted push/pull, net.go:decryptRemoteState) plus that frame's 5-byte
     * header. Plaintext streams get the same bound.
     */
    static final int MAX_STREAM_BYTES = Encryption.STREAM_HEADER_LENGTH + Encryption.MAX_STREAM_ENCRYPTED_LENGTH;

    private RealRuntime() {}

    /**
     * @param stats where the transport's drops are counted too, each under its {@link #dropReason}
     * @param memberAddress whether an IP is a member's, for the stream slots kept for members
     */
    static GossipNode.Runtime create(GossipConfig config, GossipStats stats,
                                     Predicate<InetAddress> memberAddress) {
        SerialScheduler scheduler = new SerialScheduler(config.nodeName());
        NettyTransport transport = NettyTransport.builder()
                .framer(new StreamFraming(MAX_STREAM_BYTES, encrypted(config)))
                .bindAddress(new InetSocketAddress(config.bindAddress(), config.bindPort()))
                .maxStreamBytes(MAX_STREAM_BYTES)
                .streamTimeout(config.timings().tcpTimeout())
                .name(config.nodeName())
                .dropListener(drop -> stats.drop(dropReason(drop)))
                .memberAddress(memberAddress)
                .build();
        return new GossipNode.Runtime(scheduler, transport, new SecureRandom(), scheduler::close);
    }

    /** The core's reason for a transport drop; exhaustive, so a new transport drop must be mapped. */
    static DropReason dropReason(TransportDrop drop) {
        return switch (drop) {
            case OVERSIZE -> DropReason.STREAM_OVERSIZE;
            case MALFORMED -> DropReason.STREAM;
            case TOO_MANY_STREAMS -> DropReason.TOO_MANY_STREAMS;
            case TOO_MANY_STREAMS_FROM_SOURCE -> DropReason.TOO_MANY_STREAMS_FROM_SOURCE;
            case TIMEOUT -> DropReason.STREAM_TIMEOUT;
            case SEND_FAILURE -> DropReason.SEND_FAILURE;
            case NOT_ENCRYPTED -> DropReason.NOT_ENCRYPTED;
        };
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
