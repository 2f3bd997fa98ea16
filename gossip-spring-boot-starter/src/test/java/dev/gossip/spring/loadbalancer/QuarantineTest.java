package dev.gossip.spring.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.actuate.SimulatedCluster;
import dev.gossip.spring.discovery.ServiceIndex;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

/** A false alarm cannot cascade: one client quarantines at most its share of a service. */
class QuarantineTest {

    private Quarantine quarantine;

    @AfterEach
    void stop() {
        if (quarantine != null) {
            quarantine.destroy();
        }
    }

    @Test
    void theShareIsAtLeastOneAndNeverAll() {
        assertThat(Quarantine.allowed(1, 0.5)).as("a single instance is never quarantined").isZero();
        assertThat(Quarantine.allowed(2, 0.5)).isEqualTo(1);
        assertThat(Quarantine.allowed(3, 0.5)).isEqualTo(1);
        assertThat(Quarantine.allowed(4, 0.5)).isEqualTo(2);
        assertThat(Quarantine.allowed(4, 0.1)).as("at least one").isEqualTo(1);
        assertThat(Quarantine.allowed(4, 1.0)).as("never all").isEqualTo(3);
        assertThat(Quarantine.allowed(4, 0.0)).as("switched off by a share of 0").isZero();
    }

    @Test
    void aClientWhoseEveryCallFailsQuarantinesHalfTheServiceAndStillOffersTheRest() {
        SimulatedCluster cluster = new SimulatedCluster(21);
        GossipNode client = cluster.start(0, Map.of());
        for (int i = 1; i <= 4; i++) {
            cluster.start(i, Map.of("service", "greeter", "port", "8080"));
        }
        cluster.runUntil(() -> client.members().size() == 5, Duration.ofSeconds(30), "all five joined");
        ServiceIndex index = new ServiceIndex(client, Set.of("UP"));
        List<ServiceInstance> greeters = index.instances("greeter");
        assertThat(greeters).hasSize(4);
        quarantine = new Quarantine(client, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5,
                id -> index.instances(id).size());

        // Our own network fails: every call to every greeter fails to connect, twice over.
        for (int round = 0; round < 2; round++) {
            greeters.forEach(quarantine::connectFailed);
        }

        assertThat(quarantine.size()).as("quarantined").isEqualTo(2);
        assertThat(quarantine.quarantined()).isEqualTo(2);
        assertThat(quarantine.refused()).as("failed calls over the share (the quarantined ones are not counted again)")
                .isEqualTo(4);
        assertThat(SuspectAvoidingServiceInstanceListSupplier.avoid(greeters, quarantine::isQuarantined))
                .as("what the load balancer is still offered").hasSize(2);

        // The probes answer: the nodes are fine, their applications refused us: still quarantined.
        cluster.runFor(Duration.ofSeconds(3));
        assertThat(quarantine.size()).isEqualTo(2);
        assertThat(client.stats().messages()).as("every greeter was probed out of turn, the refused ones too,"
                + " each once").containsEntry("probe-out-of-turn", 4L);
    }
}
