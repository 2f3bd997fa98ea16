package dev.gossip.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.gossip.core.GossipNode;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.TestMembers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code gossip.*} meters on real nodes in a simulated cluster: what a Prometheus scrape shows,
 * and members counted once each, a suspected one included.
 */
class GossipMetricsTest {

    /** A sample line of Prometheus' text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");

    @Test
    void everyMemberIsCountedUnderExactlyOneStatusWithASuspectPresent() {
        GossipNode viewer = clusterWithEveryLastingStatus();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new GossipMetrics(viewer).bindTo(registry);

        Map<String, Double> byStatus = new TreeMap<>();
        for (Gauge g : registry.find("gossip.members").gauges()) {
            byStatus.put(g.getId().getTag("status"), g.value());
        }
        List<Member> members = viewer.members();
        assertThat(byStatus).containsOnly(entry("alive", 2.0), entry("suspect", 1.0), entry("leaving", 0.0),
                entry("left", 1.0), entry("failed", 1.0));
        assertThat(byStatus.values().stream().mapToDouble(Double::doubleValue).sum())
                .as("sum over the status tag = members known: %s", members)
                .isEqualTo(members.size())
                .isEqualTo(5.0);
    }

    @Test
    void aPrometheusScrapeShowsEachNameOnceWithItsUnit() {
        SimulatedCluster cluster = new SimulatedCluster(7);
        GossipNode node = cluster.startAll(3).get(0);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong probes = new AtomicLong();
        node.stats().onProbeRtt(nanos -> probes.incrementAndGet());
        new GossipMetrics(node).bindTo(prometheus);
        cluster.runUntil(() -> probes.get() >= 3, Duration.ofSeconds(10), "three probes acked");
        cluster.sendGarbage(node, new byte[] {99, 1, 2, 3}); // message type 99 does not exist

        String scrape = prometheus.scrape();
        Map<String, String> types = types(scrape);
        Map<String, Double> samples = samples(scrape);
        GossipStats stats = node.stats();

        assertThat(types).as(scrape).containsOnly(
                entry("gossip_members", "gauge"),
                entry("gossip_packets_sent_total", "counter"),
                entry("gossip_packets_received_total", "counter"),
                entry("gossip_network_sent_bytes_total", "counter"),
                entry("gossip_network_received_bytes_total", "counter"),
                entry("gossip_drops_total", "counter"),
                entry("gossip_queue_depth", "gauge"),
                entry("gossip_awareness", "gauge"),
                entry("gossip_probes_requested_total", "counter"),
                entry("gossip_probe_rtt_seconds", "summary"),
                entry("gossip_probe_rtt_seconds_max", "gauge"));
        assertThat(samples).as(scrape)
                .containsEntry("gossip_members{status=\"alive\"}", 3.0)
                .containsEntry("gossip_members{status=\"suspect\"}", 0.0)
                .containsEntry("gossip_packets_sent_total", (double) stats.packetsSent())
                .containsEntry("gossip_packets_received_total", (double) stats.packetsReceived())
                .containsEntry("gossip_network_sent_bytes_total", (double) stats.bytesSent())
                .containsEntry("gossip_network_received_bytes_total", (double) stats.bytesReceived())
                .containsEntry("gossip_drops_total{reason=\"unknown-type\"}", 1.0)
                .containsEntry("gossip_queue_depth", (double) node.queueDepth())
                .containsEntry("gossip_awareness", 0.0)
                .containsEntry("gossip_probes_requested_total", 0.0)
                .containsEntry("gossip_probe_rtt_seconds_count", (double) probes.get());
        assertThat(samples.keySet().stream().filter(k -> k.startsWith("gossip_drops_total{")))
                .as("one series per reason the core knows, none lumped as other")
                .hasSize(dev.gossip.core.DropReason.values().length)
                .doesNotContain("gossip_drops_total{reason=\"other\"}");
        assertThat(stats.packetsSent()).as("traffic was counted").isPositive();
        // The simulated LAN takes 0.2 to 1 ms each way, so every acked probe took 0.4 to 2 ms.
        assertThat(samples.get("gossip_probe_rtt_seconds_max")).isBetween(0.0004, 0.002);
        assertThat(samples.get("gossip_probe_rtt_seconds_sum") / probes.get()).isBetween(0.0004, 0.002);
    }

    @Test
    void aSuspectedMemberIsCountedAsSuspectOnly() {
        Member alive = member(MemberStatus.ALIVE, false);
        assertThat(GossipMetrics.statusOf(alive)).isEqualTo("alive");
        assertThat(GossipMetrics.statusOf(member(MemberStatus.ALIVE, true))).isEqualTo("suspect");
        assertThat(GossipMetrics.statusOf(member(MemberStatus.FAILED, false))).isEqualTo("failed");
        assertThat(GossipMetrics.statuses()).containsExactly("alive", "leaving", "left", "failed", "suspect");
    }

    /**
     * node-0's view of five nodes: itself and node-1 alive, node-2 crashed and suspected (not yet
     * failed), node-3 left gracefully, node-4 crashed long enough ago to be failed.
     */
    private static GossipNode clusterWithEveryLastingStatus() {
        SimulatedCluster cluster = new SimulatedCluster(42);
        List<GossipNode> nodes = cluster.startAll(5);
        GossipNode viewer = nodes.get(0);
        nodes.get(4).shutdown();
        cluster.runUntilSeen(viewer, "node-4", m -> m.status() == MemberStatus.FAILED, "failed");
        cluster.leave(nodes.get(3));
        cluster.runUntilSeen(viewer, "node-3", m -> m.status() == MemberStatus.LEFT, "left");
        nodes.get(2).shutdown();
        cluster.runUntilSeen(viewer, "node-2", m -> m.status() == MemberStatus.ALIVE && m.suspect(), "suspected");
        return viewer;
    }

    private static Member member(MemberStatus status, boolean suspect) {
        return TestMembers.member("m", 1, Map.of(), status, suspect);
    }

    private static Map<String, String> types(String scrape) {
        Map<String, String> types = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = TYPE.matcher(line);
            if (m.matches()) {
                types.put(m.group(1), m.group(2));
            }
        }
        return types;
    }

    /** "name{labels}" (or just the name) to value. */
    private static Map<String, Double> samples(String scrape) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }
}
