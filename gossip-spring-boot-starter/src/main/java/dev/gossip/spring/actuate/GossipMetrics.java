package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import dev.gossip.core.GossipStats;
import dev.gossip.core.MemberStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer metrics {@code gossip.*}: members by status, probe RTT, packets and bytes sent and
 * received, drops by reason, broadcast queue depth and Lifeguard awareness.
 */
public class GossipMetrics implements MeterBinder {

    /** Drop reasons the core reports; anything else is summed under "other". */
    static final List<String> DROP_REASONS = List.of("decrypt", "crc", "msgpack", "lzw", "compound", "compress",
            "nesting", "unknown-type", "bad-address", "bad-version", "ping-wrong-node", "not-encrypted",
            "unexpected-encryption", "pushpull", "stream", "remote-error", "serf-unknown-type", "internal",
            "handoff-queue-full");

    private final GossipNode node;

    public GossipMetrics(GossipNode node) {
        this.node = node;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        GossipStats stats = node.stats();
        for (MemberStatus status : MemberStatus.values()) {
            if (status == MemberStatus.NONE) {
                continue;
            }
            Gauge.builder("gossip.members", node, n -> n.members().stream().filter(m -> m.status() == status).count())
                    .tag("status", status.serfName()).description("Members by Serf status").register(registry);
        }
        Gauge.builder("gossip.members", node, n -> n.members().stream().filter(m -> m.suspect()).count())
                .tag("status", "suspect").description("Alive members currently suspected").register(registry);
        FunctionCounter.builder("gossip.messages.sent", stats, GossipStats::packetsSent)
                .description("UDP packets sent").register(registry);
        FunctionCounter.builder("gossip.messages.received", stats, GossipStats::packetsReceived)
                .description("UDP packets received").register(registry);
        FunctionCounter.builder("gossip.bytes.sent", stats, GossipStats::bytesSent).baseUnit("bytes")
                .description("Bytes sent, UDP and TCP").register(registry);
        FunctionCounter.builder("gossip.bytes.received", stats, GossipStats::bytesReceived).baseUnit("bytes")
                .description("Bytes received, UDP and TCP").register(registry);
        for (String reason : DROP_REASONS) {
            FunctionCounter.builder("gossip.drops", stats, s -> s.drops(reason))
                    .tag("reason", reason).description("Input dropped, by reason").register(registry);
        }
        FunctionCounter.builder("gossip.drops", stats, s -> s.drops().entrySet().stream()
                        .filter(e -> !DROP_REASONS.contains(e.getKey())).mapToLong(e -> e.getValue()).sum())
                .tag("reason", "other").description("Input dropped, by reason").register(registry);
        Gauge.builder("gossip.queue.depth", node, GossipNode::queueDepth)
                .description("Broadcasts waiting to be gossiped").register(registry);
        Gauge.builder("gossip.awareness", node, GossipNode::awarenessScore)
                .description("Lifeguard local health score (0 = healthy)").register(registry);
        Timer rtt = Timer.builder("gossip.probe.rtt").description("Round-trip time of direct probes")
                .register(registry);
        stats.onProbeRtt(nanos -> rtt.record(nanos, TimeUnit.NANOSECONDS));
    }
}
