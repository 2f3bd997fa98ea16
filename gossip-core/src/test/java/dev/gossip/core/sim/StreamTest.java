package dev.gossip.core.sim;

import static dev.gossip.core.sim.Addresses.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.transport.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamTest {

    private static final long MS = 1_000_000;
    private static final long TIMEOUT = 50 * MS;

    private final VirtualTime time = new VirtualTime();
    private final SimulatedNetwork network = new SimulatedNetwork(time, 3);
    private final Transport client = network.transport(node(1));
    private final Transport server = network.transport(node(2));
    private final RecordingReceiver clientInbox = new RecordingReceiver(time);
    private final RecordingReceiver serverInbox = new RecordingReceiver(time);
    private final RecordingCallback callback = new RecordingCallback(time);

    private boolean failuresExpected;

    @BeforeEach
    void fixedLatencyForExactTimings() {
        network.setDefaultLink(Link.fixed(1 * MS));
        client.start(clientInbox);
    }

    @AfterEach
    void noTaskFailed() {
        if (!failuresExpected) {
            assertThat(time.firstFailure()).isNull();
        }
    }

    @Test
    void replyComesBackAfterOneLatencyEachWay() {
        server.start(serverInbox.onStream((message, reply) -> reply.reply("pong".getBytes())));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        assertThat(callback.outcomes).as("never completes inside request()").isEmpty();
        time.runFor(100 * MS);

        assertThat(serverInbox.streams).singleElement().satisfies(arrival -> {
            assertThat(arrival.text()).isEqualTo("ping");
            assertThat(arrival.from()).isEqualTo(node(1));
            assertThat(arrival.at()).isEqualTo(1 * MS);
        });
        assertThat(callback.outcomes).containsExactly("reply:pong");
        assertThat(callback.completedAt).isEqualTo(2 * MS);
        assertThat(network.stats().streamsOpened()).isEqualTo(1);
        assertThat(network.stats().streamsSucceeded()).isEqualTo(1);
        assertThat(time.pendingTasks()).as("the timeout was cancelled").isZero();
    }

    @Test
    void aServerMayAnswerLaterFromItsOwnScheduler() {
        NodeScheduler serverScheduler = time.newScheduler();
        server.start(serverInbox.onStream((message, reply) ->
                serverScheduler.schedule(5 * MS, () -> reply.reply("slow".getBytes()))));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).containsExactly("reply:slow");
        assertThat(callback.completedAt).isEqualTo(7 * MS);
    }

    @Test
    void withoutAReplyExpectedTheCallbackGetsNullOnceTheMessageIsDelivered() {
        server.start(serverInbox);

        client.request(node(2), "user event".getBytes(), false, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(serverInbox.streams).extracting(RecordingReceiver.Arrival::text)
                .containsExactly("user event");
        assertThat(callback.outcomes).containsExactly("null reply");
        assertThat(callback.completedAt).isEqualTo(1 * MS);
    }

    @Test
    void closingWithoutAReplyFailsTheCaller() {
        server.start(serverInbox.onStream((message, reply) -> reply.close()));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).singleElement().isInstanceOf(IOException.class);
        assertThat(callback.completedAt).isEqualTo(2 * MS);
        assertThat(network.stats().streamsFailed()).isEqualTo(1);
    }

    @Test
    void nobodyListeningIsRefusedAfterOneLatency() {
        // server created but not started; node(3) does not exist
        RecordingCallback toNowhere = new RecordingCallback(time);

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        client.request(node(3), "ping".getBytes(), false, TIMEOUT, toNowhere);
        time.runFor(100 * MS);

        for (RecordingCallback refused : List.of(callback, toNowhere)) {
            assertThat(refused.outcomes).singleElement()
                    .isInstanceOf(ConnectException.class)
                    .extracting(o -> ((Throwable) o).getMessage()).asString()
                    .contains("refused");
            assertThat(refused.completedAt).isEqualTo(1 * MS);
        }
        assertThat(network.stats().streamsFailed()).isEqualTo(2);
    }

    @Test
    void aPartitionInEitherDirectionTimesOut() {
        server.start(serverInbox.onStream((message, reply) -> reply.reply("pong".getBytes())));
        network.partitionOneWay(node(2), node(1)); // only the way back is cut
        RecordingCallback oneWayMessage = new RecordingCallback(time);

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        client.request(node(2), "push".getBytes(), false, TIMEOUT, oneWayMessage);
        time.runFor(100 * MS);

        for (RecordingCallback timedOut : List.of(callback, oneWayMessage)) {
            assertThat(timedOut.outcomes).singleElement().isInstanceOf(SocketTimeoutException.class);
            assertThat(timedOut.completedAt).isEqualTo(TIMEOUT);
        }
        assertThat(serverInbox.streams).isEmpty();
    }

    @Test
    void aPartitionBeforeTheReplyLosesItAndTheCallerTimesOut() {
        NodeScheduler serverScheduler = time.newScheduler();
        server.start(serverInbox.onStream((message, reply) -> {
            network.partition(List.of(node(1)), List.of(node(2)));
            serverScheduler.execute(() -> reply.reply("lost".getBytes()));
        }));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).singleElement().isInstanceOf(SocketTimeoutException.class);
        assertThat(callback.completedAt).isEqualTo(TIMEOUT);
    }

    @Test
    void aReplyAfterTheTimeoutIsIgnored() {
        NodeScheduler serverScheduler = time.newScheduler();
        server.start(serverInbox.onStream((message, reply) ->
                serverScheduler.schedule(80 * MS, () -> reply.reply("too late".getBytes()))));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(200 * MS);

        assertThat(callback.outcomes).singleElement().isInstanceOf(SocketTimeoutException.class);
        assertThat(callback.completedAt).isEqualTo(TIMEOUT);
        assertThat(network.stats().streamsFailed()).isEqualTo(1);
        assertThat(network.stats().streamsSucceeded()).isZero();
    }

    @Test
    void onlyTheFirstAnswerCounts() {
        server.start(serverInbox.onStream((message, reply) -> {
            reply.reply("first".getBytes());
            reply.reply("second".getBytes());
            reply.close();
        }));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).containsExactly("reply:first");
    }

    @Test
    void streamsAreReliableEvenOnALossyLink() {
        network.setDefaultLink(Link.lossy(1.0));
        server.start(serverInbox.onStream((message, reply) -> reply.reply("pong".getBytes())));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).containsExactly("reply:pong");
    }

    @Test
    void buffersAreCopiedBothWays() {
        byte[] replyBuffer = "pong".getBytes();
        server.start(serverInbox.onStream((message, reply) -> {
            reply.reply(replyBuffer);
            replyBuffer[0] = 'X';
        }));
        byte[] request = "ping".getBytes();

        client.request(node(2), request, true, TIMEOUT, callback);
        request[0] = 'X';
        time.runFor(100 * MS);

        assertThat(serverInbox.streams.get(0).text()).isEqualTo("ping");
        assertThat(callback.outcomes).containsExactly("reply:pong");
    }

    @Test
    void aCallerThatShutsDownHearsNothingMore() {
        NodeScheduler serverScheduler = time.newScheduler();
        server.start(serverInbox.onStream((message, reply) ->
                serverScheduler.schedule(5 * MS, () -> reply.reply("pong".getBytes()))));
        RecordingCallback neverSent = new RecordingCallback(time);

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(2 * MS);
        client.shutdown();
        client.request(node(2), "after".getBytes(), true, TIMEOUT, neverSent);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).isEmpty();
        assertThat(neverSent.outcomes).isEmpty();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aServerShuttingDownWithTheStreamOpenResetsIt() {
        List<Transport.StreamReply> held = new ArrayList<>();
        server.start(serverInbox.onStream((message, reply) -> held.add(reply)));

        client.request(node(2), "ping".getBytes(), true, TIMEOUT, callback);
        time.runFor(10 * MS);
        server.shutdown();
        held.get(0).reply("from beyond".getBytes());
        time.runFor(100 * MS);

        assertThat(callback.outcomes).singleElement().isInstanceOf(IOException.class)
                .extracting(o -> ((Throwable) o).getMessage()).asString().contains("reset");
        assertThat(callback.completedAt).isEqualTo(11 * MS);
    }

    @Test
    void aThrowingServerHandlerIsCountedAndTheOneWayCallerStillCompletes() {
        failuresExpected = true;
        server.start(serverInbox.onStream((message, reply) -> {
            throw new IllegalStateException("handler bug");
        }));

        client.request(node(2), "push".getBytes(), false, TIMEOUT, callback);
        time.runFor(100 * MS);

        assertThat(callback.outcomes).containsExactly("null reply");
        assertThat(time.taskFailures()).isEqualTo(1);
        assertThat(time.firstFailure()).hasMessage("handler bug");
    }
}
