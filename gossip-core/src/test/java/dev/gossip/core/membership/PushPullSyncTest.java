package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Timings;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * An inbound push/pull against a fake node list and state machine, one turn of the protocol
 * thread at a time: no Memberlist, no transport.
 */
class PushPullSyncTest {

    /** [PMin, PMax, PCur, DMin, DMax, DCur] */
    private static final byte[] VSN = {2, 5, 5, 2, 5, 5};
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7947);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final GossipStats stats = new GossipStats();
    private final List<Alive> alives = new ArrayList<>();
    private final List<Accusation> accusations = new ArrayList<>();
    private final List<Boolean> userMerges = new ArrayList<>();
    private final List<byte[]> replies = new ArrayList<>();
    private boolean shutdown;

    private final NodeState self = new NodeState("self", InetAddress.getLoopbackAddress(), 7946, new byte[0], VSN);
    private final MembershipDelegate delegate = new MembershipDelegate() {
        @Override
        public void notifyMsg(byte[] message) {
        }

        @Override
        public List<byte[]> getBroadcasts(int overhead, int limit) {
            return List.of();
        }

        @Override
        public byte[] localState(boolean join) {
            return new byte[0];
        }

        @Override
        public RemoteState decodeRemoteState(byte[] state) {
            return userMerges::add;
        }

        @Override
        public byte[] ackPayload() {
            return new byte[0];
        }

        @Override
        public void notifyPingComplete(NodeState node, long rttNanos, byte[] payload) {
        }

        @Override
        public void notifyJoin(NodeState node) {
        }

        @Override
        public void notifyLeave(NodeState node) {
        }

        @Override
        public void notifyUpdate(NodeState node) {
        }

        @Override
        public void notifyConflict(NodeState existing, NodeState other) {
        }
    };
    private final StreamCodec streams = new StreamCodec(null, false, delegate);
    private final PushPullSync sync = new PushPullSync("self", scheduler, Timings.lan(), stats, null,
            streams, delegate, new Nodes() {
                @Override
                public List<NodeState> allNodes() {
                    return List.of(self);
                }

                @Override
                public List<NodeState> randomNodes(int k, Predicate<NodeState> filter) {
                    return List.of();
                }
            }, new NodeStateMachine() {
                @Override
                public void aliveNode(Alive a, boolean bootstrap) {
                    alives.add(a);
                }

                @Override
                public void suspectNode(Accusation s) {
                    accusations.add(s);
                }

                @Override
                public void deadNode(Accusation d, Runnable onSent) {
                    accusations.add(d);
                }

                @Override
                public void ourNameDeadAt(byte[] addr, int port) {
                    ourNameDead.add(java.util.HexFormat.of().formatHex(addr) + ":" + port);
                }

                @Override
                public void ourNameSuspectAt(byte[] addr, int port, long incarnation) {
                    ourNameSuspect.add(java.util.HexFormat.of().formatHex(addr) + ":" + port + "@" + incarnation);
                }
            }, () -> shutdown, (name, incarnation) -> { });

    private final List<String> ourNameDead = new ArrayList<>();
    private final List<String> ourNameSuspect = new ArrayList<>();

    /** Where a push/pull shows our name dead or suspect (an earlier life's, maybe), it is reported. */
    @Test
    void reportsOurNameHeldDeadOrSuspectSomewhere() {
        List<PushNodeState> nodes = List.of(
                new PushNodeState("self", new byte[] {10, 0, 0, 9}, 7946, new byte[0], 3, State.DEAD.wire(), VSN),
                new PushNodeState("other", new byte[] {10, 0, 0, 8}, 7946, new byte[0], 3, State.DEAD.wire(), VSN),
                new PushNodeState("self", new byte[] {10, 0, 0, 7}, 7946, new byte[0], 5, State.SUSPECT.wire(), VSN),
                new PushNodeState("other", new byte[] {10, 0, 0, 6}, 7946, new byte[0], 5, State.SUSPECT.wire(), VSN));
        receive(streams.encode(new PushPull(false, nodes, new byte[0]).encode()));
        while (scheduler.runOne()) {
            // merge it all
        }
        assertThat(ourNameDead).containsExactly("0a000009:7946");
        assertThat(ourNameSuspect).containsExactly("0a000007:7946@5");
        assertThat(accusations).hasSize(4).allMatch(a -> a.type() == dev.gossip.core.wire.MessageType.SUSPECT);
    }

    PushPullSyncTest() {
        self.state = State.ALIVE;
    }

    @Test
    void answersFirstThenMergesMergeSliceNodesPerTurn() {
        int count = 2 * PushPullSync.MERGE_SLICE + 88;
        receive(pushPull(count, VSN));

        assertThat(scheduler.runOne()).as("the decoded push/pull is handed to the protocol thread").isTrue();
        assertThat(replies).as("our state goes back before any merging").hasSize(1);
        assertThat(alives).hasSize(PushPullSync.MERGE_SLICE);
        assertThat(userMerges).isEmpty();

        assertThat(scheduler.runOne()).isTrue();
        assertThat(alives).hasSize(2 * PushPullSync.MERGE_SLICE);
        assertThat(userMerges).isEmpty();

        assertThat(scheduler.runOne()).isTrue();
        assertThat(alives).hasSize(count);
        assertThat(alives).extracting(Alive::node).startsWith("n0", "n1").endsWith("n" + (count - 1));
        assertThat(userMerges).as("the layer above's state, once, after the last node").containsExactly(false);
        assertThat(scheduler.runOne()).isFalse();
        assertThat(accusations).isEmpty();
    }

    @Test
    void stopsMergingBetweenSlicesOnceShutDown() {
        receive(pushPull(PushPullSync.MERGE_SLICE + 1, VSN));
        scheduler.runOne();
        assertThat(alives).hasSize(PushPullSync.MERGE_SLICE);

        shutdown = true;
        scheduler.runOne();

        assertThat(alives).hasSize(PushPullSync.MERGE_SLICE);
        assertThat(userMerges).isEmpty();
    }

    @Test
    void refusesAStateWithAVersionOutsideWhatEveryNodeUnderstands() {
        // PCur 1 is below our PMin 2: memberlist's verifyProtocol refuses the whole state.
        receive(pushPull(3, new byte[] {1, 5, 1, 2, 5, 5}));
        scheduler.runOne();

        assertThat(replies).as("answered all the same").hasSize(1);
        assertThat(alives).isEmpty();
        assertThat(accusations).isEmpty();
        assertThat(userMerges).isEmpty();
        assertThat(stats.drops(DropReason.INCOMPATIBLE_VERSION)).isEqualTo(1);
        assertThat(scheduler.runOne()).isFalse();
    }

    private byte[] pushPull(int count, byte[] vsn) {
        List<PushNodeState> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new PushNodeState("n" + i, new byte[] {10, 0, (byte) (i >> 8), (byte) i}, 7946,
                    new byte[0], 1, State.ALIVE.wire(), vsn));
        }
        return streams.encode(new PushPull(false, nodes, new byte[0]).encode());
    }

    private void receive(byte[] frame) {
        sync.onStream(frame, PEER, new Transport.StreamReply() {
            @Override
            public void reply(byte[] message) {
                replies.add(message);
            }

            @Override
            public void close() {
            }
        });
    }

    /** Runs queued tasks only when told to, one turn at a time; time stands still. */
    private static final class ManualScheduler implements Scheduler {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            tasks.add(task);
            return () -> tasks.remove(task);
        }

        boolean runOne() {
            Runnable task = tasks.poll();
            if (task == null) {
                return false;
            }
            task.run();
            return true;
        }
    }
}
