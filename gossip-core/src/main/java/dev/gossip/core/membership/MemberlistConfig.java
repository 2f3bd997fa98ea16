package dev.gossip.core.membership;

import dev.gossip.core.GossipStats;
import dev.gossip.core.Interner;
import dev.gossip.core.Timings;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.transport.Transport;
import java.net.InetAddress;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Everything a {@link Memberlist} is built from: identity, timings and the injected world
 * (scheduler, transport, randomness). {@code keyring} supplies the current keys, or null when
 * encryption is off; it is read on every packet so key rotation takes effect at once. {@code
 * interner} shares members' names, addresses, meta and versions with other nodes in this JVM.
 */
public record MemberlistConfig(
        String name,
        InetAddress advertiseAddr,
        int advertisePort,
        byte[] vsn,
        Timings timings,
        Supplier<Keyring> keyring,
        Scheduler scheduler,
        Transport transport,
        RandomGenerator random,
        GossipStats stats,
        Interner interner) {

    /** [PMin, PMax, PCur, DMin, DMax, DCur] that a serf 0.9 agent with protocol 5 advertises (§1). */
    public static byte[] defaultVsn() {
        return new byte[] {1, 5, 2, 2, 5, 5};
    }
}
