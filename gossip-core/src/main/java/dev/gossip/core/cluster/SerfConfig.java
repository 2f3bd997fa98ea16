package dev.gossip.core.cluster;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Interner;
import dev.gossip.core.Timings;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.time.Scheduler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * What the Serf layer is built from.
 *
 * @param keyring current keys (null value = no encryption); key queries may change it
 * @param listener receives member events, user events and queries, on the node's thread
 * @param onConflictLost called when a name conflict was resolved against us: shut down
 * @param interner shares decoded tags with other nodes in this JVM
 */
public record SerfConfig(String name, Map<String, String> tags, Timings timings,
                         Scheduler scheduler, RandomGenerator random, GossipStats stats,
                         AtomicReference<Keyring> keyring, Consumer<GossipEvent> listener,
                         Runnable onConflictLost, Interner interner) {
}
