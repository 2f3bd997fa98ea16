package dev.gossip.testsupport;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;

/** When a node's failure detector suspected (or declared failed) one member, as its events tell. */
public final class Suspicions {

    private final ConcurrentLinkedQueue<Long> at = new ConcurrentLinkedQueue<>();

    private Suspicions() {}

    public static Suspicions of(GossipNode node, String member) {
        Suspicions s = new Suspicions();
        node.addListener(e -> {
            if (e instanceof GossipEvent.MemberEvent me) {
                for (Member m : me.members()) {
                    if (m.name().equals(member) && (m.suspect() || m.status() == MemberStatus.FAILED)) {
                        s.at.add(System.nanoTime());
                    }
                }
            }
        });
        return s;
    }

    /** The first suspicion after {@code nanos} (System.nanoTime), if any. */
    public OptionalLong firstAfter(long nanos) {
        return at.stream().mapToLong(Long::longValue).filter(t -> t >= nanos).findFirst();
    }
}
