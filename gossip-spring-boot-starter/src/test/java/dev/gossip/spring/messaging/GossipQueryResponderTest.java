package dev.gossip.spring.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.Query;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Query handlers run off the gossip thread, within their timeout, one per name, every outcome counted. */
class GossipQueryResponderTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    /** Answers sent, as "thread: payload". */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private GossipQueryResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.destroy();
        }
    }

    private GossipQueryResponder responder(int threads, int queue, GossipQueryHandler... handlers) {
        Map<String, GossipQueryHandler> beans = new LinkedHashMap<>();
        for (int i = 0; i < handlers.length; i++) {
            beans.put("handler" + i, handlers[i]);
        }
        responder = new GossipQueryResponder(beans, TIMEOUT, threads, queue);
        return responder;
    }

    /** A query received now, due {@code deadlineMillis} from now (negative: already past). */
    private Query query(String name, String payload, long deadlineMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        return new Query(7, 42, name, payload.getBytes(StandardCharsets.UTF_8), "asker", deadline, System::nanoTime,
                (q, p) -> sent.add(Thread.currentThread().getName() + ": " + new String(p, StandardCharsets.UTF_8)));
    }

    @Test
    void answersOnAHandlerThreadWithWhatTheHandlerReturns() {
        responder(2, 8, GossipQueryHandler.ofText("whoami", q -> "I am me, asked by " + q.sourceNode()
                + " with '" + q.payloadAsString() + "'"));
        responder.onEvent(query("whoami", "hi", 3000));
        responder.onEvent(query("unknown", "", 3000)); // no handler here: ignored, like a serf agent would

        await().atMost(Duration.ofSeconds(2)).until(() -> responder.count(QueryOutcome.ANSWERED) == 1);
        assertThat(sent).containsExactly("gossip-query-1: I am me, asked by asker with 'hi'");
        assertThat(responder.queryNames()).containsExactly("whoami");
    }

    /** A handler that sleeps for 10 s unless interrupted, and counts the interruption down. */
    private static GossipQueryHandler sleeper(String name, CountDownLatch interrupted) {
        return GossipQueryHandler.ofText(name, q -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return "too late";
        });
    }

    @Test
    void aHandlerThatOverrunsIsAbandonedInterruptedAndCounted() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        responder(1, 8, sleeper("slow", interrupted));
        long start = System.nanoTime();
        responder.onEvent(query("slow", "", 3000));

        assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("the handler was interrupted").isTrue();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("abandoned at the 300 ms handler timeout").isBetween(290L, 600L);
        await().atMost(Duration.ofSeconds(1)).until(() -> responder.count(QueryOutcome.TIMEOUT) == 1);
        Thread.sleep(100);
        assertThat(sent).as("no answer after abandoning").isEmpty();
        assertThat(responder.count(QueryOutcome.ANSWERED)).isZero();
    }

    @Test
    void aHandlerIsAbandonedAtTheQueryDeadlineWhenThatComesBeforeTheHandlerTimeout() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        responder = new GossipQueryResponder(Map.of("slow", sleeper("slow", interrupted)), Duration.ofSeconds(10), 1, 8);
        long start = System.nanoTime();
        responder.onEvent(query("slow", "", 100)); // the asker stops collecting in 100 ms; timeout is 10 s

        assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("the handler was interrupted").isTrue();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("abandoned at the query's 100 ms deadline").isBetween(90L, 400L); // 100-210 ms measured
        await().atMost(Duration.ofSeconds(1)).until(() -> responder.count(QueryOutcome.TIMEOUT) == 1);
    }

    @Test
    void anAnswerAfterTheQueryDeadlineIsNotSent() {
        responder(1, 8, GossipQueryHandler.ofText("late", q -> "answer"));
        responder.onEvent(query("late", "", -1));
        await().atMost(Duration.ofSeconds(2)).until(() -> responder.count(QueryOutcome.TIMEOUT) == 1);
        assertThat(sent).isEmpty();
    }

    @Test
    void aHandlerThatThrowsSendsNothingAndIsCounted() throws InterruptedException {
        responder(1, 8, new GossipQueryHandler() {
            @Override
            public String queryName() {
                return "broken";
            }

            @Override
            public byte[] respond(GossipQuery query) {
                throw new IllegalStateException("handler bug");
            }
        }, GossipQueryHandler.ofText("quiet", q -> null));
        responder.onEvent(query("broken", "", 3000));
        responder.onEvent(query("quiet", "", 3000));
        await().atMost(Duration.ofSeconds(2)).until(() -> responder.count(QueryOutcome.ERROR) == 1
                && responder.count(QueryOutcome.SILENT) == 1);
        Thread.sleep(TIMEOUT.toMillis() + 100); // the watchdog must not count them again
        assertThat(responder.count(QueryOutcome.TIMEOUT)).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void queriesBeyondTheThreadsAndQueueAreLeftUnansweredNotQueuedWithoutBound() {
        CountDownLatch release = new CountDownLatch(1);
        responder(1, 1, GossipQueryHandler.ofText("busy", q -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }));
        for (int i = 0; i < 5; i++) {
            responder.onEvent(query("busy", "", 3000)); // 1 runs, 1 waits, 3 are refused
        }
        assertThat(responder.count(QueryOutcome.BUSY)).isEqualTo(3);
        release.countDown();
        await().atMost(Duration.ofSeconds(2)).until(() -> responder.count(QueryOutcome.ANSWERED) == 2);
    }

    @Test
    void twoHandlersForOneNameFailNamingBothBeans() {
        assertThatThrownBy(() -> responder(1, 1, GossipQueryHandler.ofText("whoami", q -> "a"),
                GossipQueryHandler.ofText("whoami", q -> "b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'handler0' and 'handler1' both answer query 'whoami'");
    }

    @Test
    void serfInternalQueryNamesCannotBeClaimed() {
        assertThatThrownBy(() -> responder(1, 1, GossipQueryHandler.ofText("_serf_ping", q -> "pong")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'handler0' claims query '_serf_ping'")
                .hasMessageContaining("Serf's internal queries");
    }
}
