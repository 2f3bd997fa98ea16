package dev.gossip.core.sim;

import static dev.gossip.core.sim.Addresses.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.transport.Transport;
import dev.gossip.core.transport.TransportException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PacketDeliveryTest {

    private static final long MS = 1_000_000;

    private final VirtualTime time = new VirtualTime();
    private final SimulatedNetwork network = new SimulatedNetwork(time, 7);
    private final RecordingReceiver aInbox = new RecordingReceiver(time);
    private final RecordingReceiver bInbox = new RecordingReceiver(time);
    private final Transport a = network.transport(node(1));
    private final Transport b = network.transport(node(2));

    @Test
    void deliversAfterALatencyWithinTheLinkBoundsFromTheSendersAddress() {
        a.start(aInbox);
        b.start(bInbox);

        for (int i = 0; i < 200; i++) {
            a.sendPacket(node(2), ("p" + i).getBytes());
        }
        assertThat(bInbox.packets).as("nothing is delivered inside sendPacket").isEmpty();
        time.runFor(10 * MS);

        assertThat(bInbox.packets).hasSize(200)
                .allSatisfy(arrival -> {
                    assertThat(arrival.from()).isEqualTo(node(1));
                    assertThat(arrival.at()).isBetween(Link.LAN.minLatencyNanos(),
                            Link.LAN.maxLatencyNanos());
                });
        assertThat(bInbox.packets).extracting(RecordingReceiver.Arrival::at)
                .as("latency varies per packet").doesNotHaveDuplicates().hasSizeGreaterThan(100);
        assertThat(network.stats().packetsDelivered()).isEqualTo(200);
        assertThat(time.firstFailure()).isNull();
    }

    @Test
    void theSenderMutatingItsBufferLaterDoesNotChangeWhatArrives() {
        a.start(aInbox);
        b.start(bInbox);
        byte[] buffer = "hello".getBytes();

        a.sendPacket(node(2), buffer);
        buffer[0] = 'J';
        time.runFor(10 * MS);

        assertThat(bInbox.packetTexts()).containsExactly("hello");
    }

    @Test
    void packetsToAnAddressNobodyListensOnAreDropped() {
        a.start(aInbox);
        // b is created but never started; node(3) does not exist at all.

        a.sendPacket(node(2), new byte[] {1});
        a.sendPacket(node(3), new byte[] {2});
        time.runFor(10 * MS);

        NetworkStats stats = network.stats();
        assertThat(stats.packetsSent()).isEqualTo(2);
        assertThat(stats.packetsDroppedNoListener()).isEqualTo(2);
        assertThat(stats.packetsDelivered()).isZero();
    }

    @Test
    void aShutDownEndpointReceivesNothingMoreEvenWhatWasAlreadyInFlight() {
        a.start(aInbox);
        b.start(bInbox);

        a.sendPacket(node(2), "in flight".getBytes());
        b.shutdown();
        a.sendPacket(node(2), "after".getBytes());
        b.sendPacket(node(1), "from the dead".getBytes());
        time.runFor(10 * MS);

        assertThat(bInbox.packets).isEmpty();
        assertThat(aInbox.packets).isEmpty();
        assertThat(network.stats().packetsSent()).isEqualTo(2);
        assertThat(network.stats().packetsDroppedNoListener()).isEqualTo(2);
    }

    @Test
    void aRestartedEndpointAtTheSameAddressGetsPacketsArrivingAfterItStarted() {
        a.start(aInbox);
        b.start(bInbox);
        b.shutdown();
        RecordingReceiver reborn = new RecordingReceiver(time);
        network.transport(node(2)).start(reborn);

        a.sendPacket(node(2), "hi again".getBytes());
        time.runFor(10 * MS);

        assertThat(reborn.packetTexts()).containsExactly("hi again");
        assertThat(bInbox.packets).isEmpty();
    }

    @Test
    void lossMatchesTheLinkProbabilityRoughly() {
        network.setDefaultLink(Link.lossy(0.3));
        a.start(aInbox);
        b.start(bInbox);
        int sent = 20_000;

        for (int i = 0; i < sent; i++) {
            a.sendPacket(node(2), new byte[] {(byte) i});
        }
        time.runFor(10 * MS);

        NetworkStats stats = network.stats();
        assertThat((double) stats.packetsDroppedLoss() / sent).isBetween(0.28, 0.32);
        assertThat(stats.packetsDelivered() + stats.packetsDropped()).isEqualTo(sent);
        assertThat(bInbox.packets).hasSize((int) stats.packetsDelivered());
    }

    @Test
    void perDirectionLinksOverrideTheDefault() {
        network.setDefaultLink(Link.fixed(1 * MS));
        network.setLink(node(1), node(2), Link.fixed(50 * MS));
        a.start(aInbox);
        b.start(bInbox);

        a.sendPacket(node(2), "slow way".getBytes());
        b.sendPacket(node(1), "fast way".getBytes());
        time.runFor(100 * MS);

        assertThat(bInbox.packets).singleElement().extracting(RecordingReceiver.Arrival::at)
                .isEqualTo(50 * MS);
        assertThat(aInbox.packets).singleElement().extracting(RecordingReceiver.Arrival::at)
                .isEqualTo(1 * MS);

        network.setLink(node(1), node(2), null);
        a.sendPacket(node(2), "back to default".getBytes());
        time.runFor(1 * MS);
        assertThat(bInbox.packetTexts()).contains("back to default");
    }

    @Test
    void aFullyLossyLinkDropsEverything() {
        network.setLink(node(1), node(2), Link.lossy(1.0));
        a.start(aInbox);
        b.start(bInbox);

        for (int i = 0; i < 100; i++) {
            a.sendPacket(node(2), new byte[] {1});
        }
        time.runFor(10 * MS);

        assertThat(network.stats().packetsDroppedLoss()).isEqualTo(100);
    }

    @Test
    void endpointLifecycleErrorsAreExplicit() {
        assertThatThrownBy(() -> a.sendPacket(node(2), new byte[0]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before start");
        assertThatThrownBy(() -> network.transport(node(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("10.0.0.2:7946");

        a.start(aInbox);
        assertThatThrownBy(() -> a.start(aInbox))
                .isInstanceOf(TransportException.class).hasMessageContaining("already started");
        a.shutdown();
        a.shutdown();
        assertThatThrownBy(() -> a.start(aInbox))
                .isInstanceOf(TransportException.class).hasMessageContaining("shut down");
    }

    @Test
    void shutDownEndpointsAreForgottenSoThousandsOfShortLivedProcessesLeaveNoState() {
        a.start(aInbox);
        for (int i = 100; i < 5_100; i++) {
            Transport shortLived = network.transport(node(i));
            shortLived.start(new RecordingReceiver(time));
            shortLived.sendPacket(node(1), new byte[] {1});
            shortLived.shutdown();
        }
        assertThat(network.internalSizes()).containsEntry("network.endpoints", 2)
                .containsEntry("network.openStreams", 0).containsEntry("network.inFlight", 5_000);
        time.runFor(10 * MS);
        assertThat(network.internalSizes()).containsEntry("network.inFlight", 0);
        assertThat(aInbox.packets).hasSize(5_000);

        b.shutdown();
        Transport again = network.transport(node(2));
        again.start(bInbox);
        a.sendPacket(node(2), "back".getBytes());
        time.runFor(10 * MS);
        assertThat(bInbox.packetTexts()).containsExactly("back");
        assertThat(network.internalSizes()).containsEntry("network.endpoints", 2);
    }

    @Test
    void portZeroIsResolvedToAFreePort() {
        InetSocketAddress wildcardPort = new InetSocketAddress("10.9.9.9", 0);

        Transport first = network.transport(wildcardPort);
        Transport second = network.transport(wildcardPort);

        assertThat(first.localAddress().getPort()).isPositive();
        assertThat(first.localAddress().getHostString()).isEqualTo("10.9.9.9");
        assertThat(second.localAddress()).isNotEqualTo(first.localAddress());
    }
}
