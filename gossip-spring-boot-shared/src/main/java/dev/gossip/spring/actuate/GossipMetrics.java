package dev.gossip.spring.actuate;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipNode;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer metrics {@code gossip.*}, named so that Prometheus shows each unit and suffix once
 * ({@code gossip_network_sent_bytes_total}, {@code gossip_packets_sent_total}, ...).
 *
 * <p>{@code gossip.members{status}} partitions the member list: every member is counted under
 * exactly one status, so {@code sum(gossip_members)} is the number of members this node knows.
 * A suspected member counts as {@code suspect} only, not also as {@code alive}: that is the
 * status {@code /actuator/gossip} and the dashboard show for it, and a separate suspect gauge
 * overlapping {@code alive} would make any sum over the tag count suspects twice. What Serf calls
 * alive is therefore {@code gossip_members{status=~"alive|suspect"}}.
 */
public class GossipMetrics implements MeterBinder {

    /** The {@code status} tag of a suspected member, whatever its Serf status. */
    static final String SUSPECT = "suspect";

    private final GossipNode node;

    public GossipMetrics(GossipNode node) {
        this.node = node;
    }

    /** The one {@code status} tag value {@code member} is counted under. */
    static String statusOf(Member member) {
        return member.suspect() ? SUSPECT : member.status().serfName();
    }

    /** Every value of the {@code status} tag, each registered even while its count is 0. */
    static List<String> statuses() {
        List<String> statuses = new ArrayList<>();
        for (MemberStatus status : MemberStatus.values()) {
            if (status != MemberStatus.NONE) {
                statuses.add(status.serfName());
            }
        }
        statuses.add(SUSPECT);
        return List.copyOf(statuses);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bindMembers(registry);
        bindTraffic(registry, node.stats());
        bindDrops(registry, node.stats());
        Gauge.builder("gossip.queue.depth", node, GossipNode::queueDepth)
                .description("Broadcasts waiting to be gossiped").register(registry);
        Gauge.builder("gossip.awareness", node, GossipNode::awarenessScore)
                .description("Lifeguard local health score (0 = healthy; higher = slower to suspect others)")
                .register(registry);
        FunctionCounter.builder("gossip.probes.requested", node.stats(),
                        s -> s.messages().getOrDefault("probe-out-of-turn", 0L))
                .description("Probes run out of turn because a call to the member failed").register(registry);
        Timer rtt = Timer.builder("gossip.probe.rtt").description("Round-trip time of acked direct probes")
                .register(registry);
        node.stats().onProbeRtt(nanos -> rtt.record(nanos, TimeUnit.NANOSECONDS));
    }

    private void bindMembers(MeterRegistry registry) {
        for (String status : statuses()) {
            Gauge.builder("gossip.members", node, n -> n.members().stream().filter(m -> statusOf(m).equals(status))
                            .count())
                    .tag("status", status)
                    .description("Members by status; each counted once (suspected members only as suspect)")
                    .register(registry);
        }
    }

    private static void bindTraffic(MeterRegistry registry, GossipStats stats) {
        FunctionCounter.builder("gossip.packets.sent", stats, GossipStats::packetsSent)
                .description("UDP packets sent").register(registry);
        FunctionCounter.builder("gossip.packets.received", stats, GossipStats::packetsReceived)
                .description("UDP packets received").register(registry);
        FunctionCounter.builder("gossip.network.sent", stats, GossipStats::bytesSent).baseUnit(BaseUnits.BYTES)
                .description("Bytes sent, UDP packets and TCP streams").register(registry);
        FunctionCounter.builder("gossip.network.received", stats, GossipStats::bytesReceived)
                .baseUnit(BaseUnits.BYTES)
                .description("Bytes received, UDP packets and TCP streams").register(registry);
    }

    /** One series per reason the core knows (its DropReason enum), so none is ever lumped together. */
    private static void bindDrops(MeterRegistry registry, GossipStats stats) {
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("gossip.drops", stats, s -> s.drops(reason))
                    .tag("reason", reason.tag())
                    .description("Input dropped (malformed, wrongly keyed, over a transport limit, ...)"
                            + " and failed sends, by reason")
                    .register(registry);
        }
    }
}
