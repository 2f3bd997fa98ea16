package dev.gossip.core.sim;

import static dev.gossip.core.sim.Addresses.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The whole point of the substrate: a seed fully determines a run. */
class DeterminismTest {

    private static final long MS = 1_000_000;
    private static final int NODES = 30;

    @Test
    void theSameSeedReplaysTheSameTrace() {
        List<String> first = runScenario(1234);
        List<String> second = runScenario(1234);

        assertThat(first).hasSizeGreaterThan(2_000);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        assertThat(runScenario(1)).isNotEqualTo(runScenario(2));
    }

    /**
     * Gossip-shaped traffic: every node sends a packet every 10 ms and a request every 50 ms over
     * a jittery, lossy network, with a partition that comes and goes and a node that crashes.
     */
    private static List<String> runScenario(long seed) {
        VirtualTime time = new VirtualTime();
        SimulatedNetwork network = new SimulatedNetwork(time, seed);
        network.setDefaultLink(new Link(100_000, 5 * MS, 0.1));
        List<String> trace = new ArrayList<>();
        List<Transport> transports = new ArrayList<>();
        List<NodeScheduler> schedulers = new ArrayList<>();

        for (int i = 0; i < NODES; i++) {
            InetSocketAddress self = node(i);
            NodeScheduler scheduler = time.newScheduler();
            Transport transport = network.transport(self);
            transport.start(new Transport.Receiver() {
                @Override
                public void onPacket(byte[] packet, InetSocketAddress from) {
                    trace.add(time.now() + " packet " + from + "->" + self + " " + new String(packet));
                }

                @Override
                public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                    trace.add(time.now() + " stream " + from + "->" + self);
                    scheduler.execute(() -> reply.reply(("ack " + new String(message)).getBytes()));
                }
            });
            int index = i;
            tick(scheduler, 10 * MS, round -> transport.sendPacket(
                    node((index + round * 7 + 1) % NODES), ("r" + round).getBytes()));
            tick(scheduler, 50 * MS, round -> transport.request(
                    node((index + round * 3 + 1) % NODES), ("q" + round).getBytes(), true, 20 * MS,
                    new Transport.StreamCallback() {
                        @Override
                        public void onReply(byte[] reply) {
                            trace.add(time.now() + " reply@" + index + " " + new String(reply));
                        }

                        @Override
                        public void onFailure(Throwable cause) {
                            trace.add(time.now() + " failure@" + index + " " + cause.getMessage());
                        }
                    }));
            transports.add(transport);
            schedulers.add(scheduler);
        }

        time.runFor(200 * MS);
        network.partition(List.of(node(0), node(1), node(2)), List.of(node(3), node(4)));
        time.runFor(200 * MS);
        schedulers.get(5).stop();
        transports.get(5).shutdown();
        network.heal();
        time.runFor(200 * MS);

        assertThat(time.firstFailure()).isNull();
        trace.add("stats " + network.stats());
        return trace;
    }

    private static void tick(NodeScheduler scheduler, long period, IntConsumer body) {
        tickAt(scheduler, period, body, 0);
    }

    private static void tickAt(NodeScheduler scheduler, long period, IntConsumer body, int round) {
        scheduler.schedule(period, () -> {
            body.accept(round);
            tickAt(scheduler, period, body, round + 1);
        });
    }
}
