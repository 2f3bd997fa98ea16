package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gossip.core.DropReason;
import dev.gossip.core.Query;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.QueryMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Query filters (§7.8), after serf's TestSerf_ShouldProcess: a node answers only if it is in every
 * node-name filter and its tags match every tag filter. Tag filters are regular expressions from
 * the network, so they are bounded: longer than 256 characters, uncompilable, or more than
 * 100 000 character reads to match all count as no match.
 */
class QueryFilterTest {

    private static final int NODES = 0;
    private static final int TAG = 1;

    private final LoneSerf s = new LoneSerf("zip", Map.of("role", "webserver", "datacenter", "east-aws"));
    private int nextId;

    private static byte[] filter(int type, byte[] body) {
        byte[] out = Arrays.copyOf(new byte[] {(byte) type}, body.length + 1);
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static byte[] nodes(String... names) {
        return filter(NODES, new MsgWriter().stringList(List.of(names)).toByteArray());
    }

    private static byte[] tag(String tag, String expr) {
        return filter(TAG, new MsgWriter().map(2).str("Expr").str(expr).str("Tag").str(tag).toByteArray());
    }

    /** Delivers a query with these filters; returns whether this node handed it to the application. */
    private boolean processes(byte[]... filters) {
        int queriesBefore = queriesSeen();
        int queuedBefore = s.serf.queryBroadcasts.size();
        QueryMessage q = new QueryMessage(1, nextId++, new byte[] {10, 0, 0, 9}, 7946, "asker",
                filters.length == 0 ? null : new ArrayList<>(List.of(filters)), 0, 0,
                Duration.ofSeconds(5).toNanos(), "q", new byte[0]);
        s.serf.notifyMsg(q.encode());
        // Filters decide only whether we answer: the query is passed on either way.
        assertThat(s.serf.queryBroadcasts.size()).as("re-gossiped").isEqualTo(queuedBefore + 1);
        return queriesSeen() > queriesBefore;
    }

    private int queriesSeen() {
        return (int) s.events.stream().filter(e -> e instanceof Query).count();
    }

    @Test
    void noFiltersMeansEveryone() {
        assertThat(processes()).isTrue();
    }

    @Test
    void aNodeFilterMustNameUs() {
        assertThat(processes(nodes("foo", "bar", "zip"))).isTrue();
        assertThat(processes(nodes("foo", "bar"))).isFalse();
        assertThat(processes(nodes())).isFalse();
        assertThat(processes(nodes("ZIP"))).as("names are case-sensitive").isFalse();
    }

    /** Go's regexp.MatchString: unanchored unless the expression anchors itself. */
    @Test
    void aTagFilterIsAnUnanchoredRegexOnOurTagValue() {
        assertThat(processes(tag("role", "^web"), tag("datacenter", "aws$"))).isTrue();
        assertThat(processes(tag("role", "server"))).isTrue();
        assertThat(processes(tag("role", "^server"))).isFalse();
        assertThat(processes(tag("role", "db"))).isFalse();
        assertThat(processes(tag("other", "cool"))).as("a tag we do not have").isFalse();
        // serf.go:shouldProcessQuery matches tags[filt.Tag], "" for a tag the node lacks.
        assertThat(processes(tag("other", "^$"))).as("a tag we do not have is the empty string").isTrue();
        assertThat(processes(tag("other", ".*"))).isTrue();
    }

    @Test
    void everyFilterMustPass() {
        assertThat(processes(nodes("zip"), tag("role", "^web"))).isTrue();
        assertThat(processes(nodes("zip"), tag("role", "db"))).isFalse();
        assertThat(processes(nodes("foo"), tag("role", "^web"))).isFalse();
    }

    @Test
    void unknownEmptyOrMalformedFiltersFail() {
        assertThat(processes(filter(2, new byte[] {(byte) 0x90}))).as("unknown type").isFalse();
        assertThat(processes(new byte[0])).as("empty").isFalse();
        assertThat(s.stats.drops(DropReason.QUERY_FILTER)).isZero();
        assertThat(processes(filter(NODES, new byte[] {(byte) 0x92, (byte) 0xa1}))).as("cut short").isFalse();
        assertThat(processes(filter(TAG, new byte[] {(byte) 0xc1}))).as("not msgpack").isFalse();
        assertThat(s.stats.drops(DropReason.QUERY_FILTER)).isEqualTo(2);
    }

    @Test
    void anUncompilableExpressionIsNoMatch() {
        assertThat(Queries.matches("[web", "webserver")).isFalse();
        assertThat(Queries.matches("(", "")).isFalse();
        assertThat(processes(tag("role", "[web"))).isFalse();
    }

    /** Both match "webserver" (empty groups match nothing); only their length differs. */
    @Test
    void expressionsLongerThan256CharactersAreNoMatch() {
        String at256 = "web" + "()".repeat(126) + ".";
        String at257 = at256 + ".";
        assertThat(at256).hasSize(256);
        assertThat(at257).hasSize(257);
        assertThat(Queries.matches(at256, "webserver")).isTrue();
        assertThat(Queries.matches(at257, "webserver")).isFalse();
        assertThat(processes(tag("role", at256))).isTrue();
        assertThat(processes(tag("role", at257))).isFalse();
    }

    /**
     * Go's RE2 answers these in linear time; Java 17 backtracks exponentially on them (it memoises
     * simpler cases such as {@code (a+)+$}), so only the step budget stops them.
     */
    @Test
    void aRunawayExpressionRunsOutOfBudgetQuickly() {
        String value = "a".repeat(40);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(Queries.matches("((a+)+)+b", value)).isFalse();
            assertThat(Queries.matches("(.*){1,32000}[bc]", value)).isFalse();
        });
    }

    /** The budget is generous for honest expressions on the longest values tags allow. */
    @Test
    void theBudgetLetsOrdinaryExpressionsMatchLongValues() {
        String value = "a".repeat(500) + "web";
        assertThat(Queries.matches("web$", value)).isTrue();
        assertThat(Queries.matches("[a-z]+web", value)).isTrue();
        assertThat(Queries.matches("^a{500}w", value)).isTrue();
    }
}
