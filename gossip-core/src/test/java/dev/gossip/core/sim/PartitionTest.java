package dev.gossip.core.sim;

import static dev.gossip.core.sim.Addresses.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartitionTest {

    private static final long MS = 1_000_000;

    private final VirtualTime time = new VirtualTime();
    private final SimulatedNetwork network = new SimulatedNetwork(time, 11);
    private final List<Transport> nodes = new ArrayList<>();
    private final List<RecordingReceiver> inboxes = new ArrayList<>();

    @BeforeEach
    void startFourNodes() {
        for (int i = 0; i < 4; i++) {
            Transport transport = network.transport(node(i));
            RecordingReceiver inbox = new RecordingReceiver(time);
            transport.start(inbox);
            nodes.add(transport);
            inboxes.add(inbox);
        }
    }

    @Test
    void twoWayPartitionCutsAcrossButNotWithinSides() {
        network.partition(List.of(node(0), node(1)), List.of(node(2), node(3)));

        sendAllToAll("split");

        assertThat(inboxes.get(0).packets).extracting(RecordingReceiver.Arrival::from)
                .containsExactly(node(1));
        assertThat(inboxes.get(1).packets).extracting(RecordingReceiver.Arrival::from)
                .containsExactly(node(0));
        assertThat(inboxes.get(2).packets).extracting(RecordingReceiver.Arrival::from)
                .containsExactly(node(3));
        assertThat(inboxes.get(3).packets).extracting(RecordingReceiver.Arrival::from)
                .containsExactly(node(2));
        assertThat(network.stats().packetsDroppedPartition()).isEqualTo(8);
    }

    @Test
    void oneWayPartitionBlocksOnlyThatDirection() {
        network.partitionOneWay(node(0), node(1));

        nodes.get(0).sendPacket(node(1), "0->1".getBytes());
        nodes.get(1).sendPacket(node(0), "1->0".getBytes());
        time.runFor(10 * MS);

        assertThat(inboxes.get(1).packets).isEmpty();
        assertThat(inboxes.get(0).packetTexts()).containsExactly("1->0");
        assertThat(network.stats().packetsDroppedPartition()).isEqualTo(1);
    }

    @Test
    void healRestoresEveryPath() {
        network.partition(List.of(node(0)), List.of(node(1), node(2), node(3)));
        network.partitionOneWay(node(2), node(3));

        network.heal();
        sendAllToAll("healed");

        for (RecordingReceiver inbox : inboxes) {
            assertThat(inbox.packets).hasSize(3);
        }
        assertThat(network.stats().packetsDroppedPartition()).isZero();
    }

    @Test
    void partitionsStackUntilHealed() {
        network.partitionOneWay(node(0), node(1));
        network.partition(List.of(node(2)), List.of(node(3)));

        sendAllToAll("both");

        assertThat(inboxes.get(1).packets).extracting(RecordingReceiver.Arrival::from)
                .containsExactlyInAnyOrder(node(2), node(3));
        assertThat(inboxes.get(3).packets).extracting(RecordingReceiver.Arrival::from)
                .containsExactlyInAnyOrder(node(0), node(1));
        assertThat(network.stats().packetsDroppedPartition()).isEqualTo(3);
    }

    @Test
    void splittingAThousandNodesInHalfCutsExactlyTheCrossTraffic() {
        VirtualTime bigTime = new VirtualTime();
        SimulatedNetwork big = new SimulatedNetwork(bigTime, 5);
        int n = 1_000;
        List<Transport> endpoints = new ArrayList<>();
        List<InetSocketAddress> left = new ArrayList<>();
        List<InetSocketAddress> right = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Transport endpoint = big.transport(node(i));
            endpoint.start(new RecordingReceiver(bigTime));
            endpoints.add(endpoint);
            (i < n / 2 ? left : right).add(node(i));
        }
        big.partition(left, right);

        for (int i = 0; i < n; i++) {
            endpoints.get(i).sendPacket(node((i + 1) % n), new byte[] {1}); // mostly same side
            endpoints.get(i).sendPacket(node((i + n / 2) % n), new byte[] {2}); // always across
        }
        bigTime.runFor(10 * MS);

        NetworkStats stats = big.stats();
        assertThat(stats.packetsDroppedPartition()).isEqualTo(n + 2); // plus 499->500, 999->0
        assertThat(stats.packetsDelivered()).isEqualTo(n - 2);
        assertThat(bigTime.firstFailure()).isNull();
    }

    private void sendAllToAll(String text) {
        for (int from = 0; from < 4; from++) {
            for (int to = 0; to < 4; to++) {
                if (from != to) {
                    nodes.get(from).sendPacket(node(to), text.getBytes());
                }
            }
        }
        time.runFor(10 * MS);
    }
}
