package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A listener that scribbles on a user event's payload changes nothing other nodes receive later. */
class UserEventPayloadSimulationTest {

    @Test
    void listenerMutatingThePayloadDoesNotChangeWhatPushPullReplays() {
        SimCluster c = new SimCluster(4043, Timings.lan());
        c.formCluster(2, Duration.ofMillis(100), Duration.ofSeconds(20));
        SimNode scribbler = c.node(1);
        scribbler.node.addListener(e -> {
            if (e instanceof GossipEvent.UserEvent ue) {
                ue.payload()[0] = 'X';
            }
        });
        c.node(0).node.sendUserEvent("deploy", "hello".getBytes(StandardCharsets.UTF_8), false);
        assertThat(c.runUntil(s -> scribbler.count("user", "deploy") == 1, Duration.ofMillis(10),
                Duration.ofSeconds(10))).isTrue();

        // A late joiner asks (only) the scribbler for old events: push/pull replays its buffer.
        SimNode late = c.add(2);
        late.node.joinAsync(List.of(SimCluster.seedOf(1)), false);
        c.runFor(Duration.ofSeconds(30));

        List<String> got = late.events.stream().filter(e -> e.kind().equals("user"))
                .map(e -> e.subject() + "=" + e.payload()).toList();
        assertThat(got).containsExactly("deploy=hello");
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
