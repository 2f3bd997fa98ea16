package dev.gossip.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.MemberStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot files cross over: one written by {@code serf agent -snapshot} brings a Java node back
 * into the cluster, and one written by a Java node brings a serf agent back.
 */
class SnapshotSerfInteropTest {

    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final JavaNodes java = new JavaNodes();
    private final List<SerfAgent> agents = new ArrayList<>();

    /** The cluster the snapshots lead back to: java-1 and java-2, joined. */
    private JavaNodes.Node j1;
    private JavaNodes.Node j2;

    @BeforeEach
    void twoJavaNodes() {
        SerfBinary.require();
        j1 = java.start("java-1", Map.of(), null);
        j2 = java.start("java-2", Map.of(), null);
        assertThat(j2.node().join(List.of(j1.address()))).isEqualTo(1);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        java.close();
        for (SerfAgent a : agents) {
            a.close();
        }
    }

    private static long userEvents(JavaNodes.Node n, String name) {
        return n.events().stream().filter(e -> e instanceof GossipEvent.UserEvent u && u.name().equals(name)).count();
    }

    @Test
    void aJavaNodeRejoinsFromASnapshotWrittenByASerfAgent() throws Exception {
        Path snapshot = dir.resolve("alpha.snapshot");
        SerfAgent alpha = SerfAgent.start("alpha", Map.of(), null, "-snapshot=" + snapshot, "-join=" + j1.address());
        agents.add(alpha);
        await().atMost(CONVERGE).until(() -> alpha.status("java-2").equals("alive"));

        j1.node().sendUserEvent("before", "1".getBytes(StandardCharsets.UTF_8), false);
        await().atMost(CONVERGE).until(() -> alpha.logText().contains("user-event: before"));
        // serf flushes its buffer only when it appends 500 ms after the last flush, or when it
        // stops: SIGTERM stops it without a leave (leave_on_terminate is off by default).
        alpha.terminate();
        String written = Files.readString(snapshot);
        assertThat(written).contains("alive: java-1 " + j1.address(), "alive: java-2 " + j2.address(), "event-clock: ");

        long start = System.nanoTime();
        JavaNodes.Node j3 = java.start("java-3", Map.of(), null, b -> b.snapshotPath(snapshot));
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(j3.statusOf("java-1")).isEqualTo(MemberStatus.ALIVE);
            assertThat(j3.statusOf("java-2")).isEqualTo(MemberStatus.ALIVE);
            assertThat(j1.statusOf("java-3")).isEqualTo(MemberStatus.ALIVE);
        });
        long rejoined = System.nanoTime() - start;
        j2.node().sendUserEvent("after", "2".getBytes(StandardCharsets.UTF_8), false);
        await().atMost(CONVERGE).until(() -> userEvents(j3, "after") == 1);
        assertThat(userEvents(j3, "before")).as("the event serf's event-clock covers, offered by the join's push/pull")
                .isZero();
        assertThat(rejoined).as("one push/pull, measured 0.26 s").isLessThan(Duration.ofSeconds(1).toNanos());
        System.out.printf("[interop] java-3 rejoined from serf's snapshot in %d ms; file:%n%s", rejoined / 1_000_000, written);
    }

    @Test
    void aSerfAgentRejoinsFromASnapshotWrittenByAJavaNode() throws Exception {
        Path snapshot = dir.resolve("java-3.snapshot");
        JavaNodes.Node j3 = java.start("java-3", Map.of(), null, b -> b.snapshotPath(snapshot));
        assertThat(j3.node().join(List.of(j1.address()))).isEqualTo(1);
        await().atMost(CONVERGE).until(() -> j3.statusOf("java-2") == MemberStatus.ALIVE);
        j3.node().shutdown(); // a crash, but one that lets the writer finish: serf would sync too
        String written = Files.readString(snapshot);
        assertThat(written).contains("alive: java-1 " + j1.address(), "alive: java-2 " + j2.address())
                .as("the member clock, recorded at shutdown at the latest").containsPattern("(?m)^clock: [1-9]");

        long start = System.nanoTime();
        SerfAgent alpha = SerfAgent.start("alpha", Map.of(), null, "-snapshot=" + snapshot);
        agents.add(alpha);
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(alpha.status("java-1")).isEqualTo("alive");
            assertThat(alpha.status("java-2")).isEqualTo("alive");
            assertThat(j1.statusOf("alpha")).isEqualTo(MemberStatus.ALIVE);
        });
        long rejoined = System.nanoTime() - start;
        assertThat(alpha.logText()).contains("Re-joined to previously known node");
        assertThat(rejoined).as("agent start and one push/pull, measured 0.28-0.47 s")
                .isLessThan(Duration.ofMillis(1500).toNanos());
        System.out.printf("[interop] serf rejoined from java-3's snapshot in %d ms; file:%n%s", rejoined / 1_000_000, written);
    }
}
