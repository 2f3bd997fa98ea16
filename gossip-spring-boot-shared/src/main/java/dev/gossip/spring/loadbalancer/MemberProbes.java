package dev.gossip.spring.loadbalancer;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.ProbeResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Quarantine} asks about the member behind an instance whose call failed: this
 * application's gossip node can probe and ping it; a thin client can only read the catalog.
 */
public interface MemberProbes {

    /** Probes the member out of turn (see {@link GossipNode#probe}). */
    CompletableFuture<ProbeResult> probe(String member);

    /** Whether the member answers one direct ping from us. */
    CompletableFuture<Boolean> ping(String member);

    /** The member as we know it now, if we know it. */
    Optional<Member> member(String name);

    /** How often quarantines are reviewed. */
    Duration recheckEvery();

    /** The application's gossip node; stopping, it probes nothing. */
    static MemberProbes of(GossipNode node) {
        return new MemberProbes() {
            @Override
            public CompletableFuture<ProbeResult> probe(String member) {
                try {
                    return node.probe(member);
                } catch (IllegalStateException e) {
                    return CompletableFuture.completedFuture(ProbeResult.NOT_PROBED); // the node is stopping
                }
            }

            @Override
            public CompletableFuture<Boolean> ping(String member) {
                try {
                    return node.ping(member);
                } catch (IllegalStateException e) {
                    return CompletableFuture.completedFuture(false);
                }
            }

            @Override
            public Optional<Member> member(String name) {
                return node.member(name);
            }

            @Override
            public Duration recheckEvery() {
                return node.config().timings().probeInterval();
            }
        };
    }
}
