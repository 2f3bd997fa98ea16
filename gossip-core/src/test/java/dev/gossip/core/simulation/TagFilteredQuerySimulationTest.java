package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Member;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.Timings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Tag filters end to end: what the sender encodes from {@link QueryParams#withTags} is what the
 * receivers match (QueryFilterTest covers the receiving side alone).
 */
class TagFilteredQuerySimulationTest {

    @Test
    void onlyNodesWhoseTagsMatchEveryFilterAnswer() {
        SimCluster c = new SimCluster(11, Timings.lan());
        c.startCluster(5, Duration.ofMillis(100));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        List<Map<String, String>> tags = List.of(Map.of("role", "webserver", "dc", "east-aws"),
                Map.of("role", "webserver", "dc", "west-gcp"), Map.of("role", "db", "dc", "east-aws"),
                Map.of("dc", "east-aws"), Map.of("role", "web", "dc", "east-aws"));
        for (int i = 0; i < tags.size(); i++) {
            SimCluster.SimNode n = c.node("node-" + i);
            n.node.setTags(tags.get(i));
            n.node.addListener(e -> {
                if (e instanceof Query q) {
                    q.respond(n.name.getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        assertThat(c.runUntil(s -> s.live().stream().allMatch(n -> n.view("node-0").map(Member::tags)
                .filter(tags.get(0)::equals).isPresent()), Duration.ofMillis(50), Duration.ofSeconds(10))).isTrue();

        CompletableFuture<QueryHandle> f = c.node("node-3").node.queryAsync("who", new byte[0],
                QueryParams.defaults().withTags(Map.of("role", "^web", "dc", "aws$")));
        c.runFor(Duration.ofMillis(1));
        QueryHandle h = f.join();
        assertThat(c.runUntil(s -> h.finished().isDone(), Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        assertThat(h.responses()).extracting(QueryHandle.Response::from)
                .containsExactlyInAnyOrder("node-0", "node-4");
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
