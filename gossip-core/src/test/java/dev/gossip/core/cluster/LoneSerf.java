package dev.gossip.core.cluster;

import dev.gossip.core.Interner;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Timings;
import dev.gossip.core.membership.NodeState;
import dev.gossip.core.membership.TestNodes;
import dev.gossip.core.sim.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Serf without a memberlist below it, in virtual time: the test plays memberlist, handing it
 * Serf messages ({@code notifyMsg}) and member changes ({@code notifyJoin} / {@code notifyLeave}).
 */
final class LoneSerf {

    final VirtualTime time = new VirtualTime();
    final GossipStats stats = new GossipStats();
    final List<GossipEvent> events = new ArrayList<>();
    final Serf serf;
    private int nextHost = 1;

    LoneSerf(String name, Map<String, String> tags) {
        serf = new Serf(new SerfConfig(name, tags, Timings.lan(), time.newScheduler(),
                new SplittableRandom(1), stats, new AtomicReference<>(), events::add, () -> { }, Interner.NONE));
    }

    /** memberlist reports {@code name} alive. */
    NodeState join(String name) {
        NodeState n = TestNodes.alive(name, nextHost++, Tags.encode(Map.of()));
        serf.notifyJoin(n);
        return n;
    }

    MemberState member(String name) {
        return serf.memberState(name);
    }
}
