package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.membership.TransmitLimitedQueue;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What other threads may touch: a query's answers are written only by the node that sent it,
 * and the values gauges and {@code tags()} read off the node's thread are safely published.
 */
class ThreadConfinementTest {

    @Test
    void queryHandleOffersCallersNoWayToAddOrFinishAnswers() {
        assertThat(QueryHandle.class.getConstructors()).isEmpty();
        List<String> publicInstanceMethods = Arrays.stream(QueryHandle.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).sorted().toList();
        assertThat(publicInstanceMethods)
                .containsExactlyInAnyOrder("name", "acks", "responses", "finished", "onAck", "onResponse");
    }

    @Test
    void completingTheFinishedFutureDoesNotEndTheQuery() {
        QueryHandle.Feed feed = QueryHandle.open("q");
        QueryHandle h = feed.handle();
        h.finished().complete(h);
        assertThat(h.finished()).isNotDone();
        feed.finish();
        assertThat(h.finished()).isCompletedWithValue(h);
    }

    @Test
    void valuesReadOffTheNodesThreadAreVolatile() throws Exception {
        assertVolatile("dev.gossip.core.membership.Awareness", "score");
        assertVolatile("dev.gossip.core.cluster.Serf", "tags");
        Set<String> volatileInts = Set.of(Arrays.stream(TransmitLimitedQueue.class.getDeclaredFields())
                .filter(f -> f.getType() == int.class && Modifier.isVolatile(f.getModifiers()))
                .map(Field::getName).toArray(String[]::new));
        assertThat(volatileInts).as("a published depth for queueDepth()").isNotEmpty();
    }

    @Test
    void queueDepthFollowsEveryChange() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(1, () -> 1, 3);
        q.queue("a", new byte[10]);
        q.queue("b", new byte[10]);
        q.queue("a", new byte[10]);
        assertThat(q.size()).isEqualTo(2);
        q.queue(null, new byte[10]);
        q.queue(null, new byte[10]);
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.getBroadcasts(2, 1400)).hasSize(3);
        assertThat(q.size()).isZero(); // one transmit is the limit for one node
        q.queue(null, new byte[10]);
        q.clear();
        assertThat(q.size()).isZero();
    }

    private static void assertVolatile(String className, String field) throws Exception {
        Field f = Class.forName(className).getDeclaredField(field);
        assertThat(Modifier.isVolatile(f.getModifiers())).as("%s.%s is volatile", className, field).isTrue();
    }
}
