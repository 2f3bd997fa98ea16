package dev.gossip.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Profile;
import dev.gossip.core.Query;
import dev.gossip.core.rpc.LogSource;
import dev.gossip.core.rpc.RpcConfig;
import dev.gossip.core.rpc.RpcDrop;
import dev.gossip.core.security.Keyring;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The stock {@code serf} CLI against a Java node's RPC server, compared with the same command
 * against a serf agent in the same encrypted cluster (serf-a, java-1, java-2; java-3 and java-4
 * come and go for join, leave and force-leave).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RpcServerSerfInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "LJkwbZhmCgaYdCz24sV1IPMU3kNSW9w7C0x+GYXQ6fc=";
    private static final String NEW_KEY = "5gYGkeFtmIaLn29jDrEBRgR8scKxYK/2M6s4ZPvdQ7s=";
    private static final String AUTH = "s3cret-token";

    private final JavaNodes java = new JavaNodes();
    private final TestLogSource logs = new TestLogSource();
    private String serf;
    private SerfAgent agent;
    private JavaNodes.Node j1;
    private JavaNodes.Node j2;

    /** Lines the test emits, as a logging backend would. */
    static final class TestLogSource implements LogSource {
        private final List<Consumer<String>> sinks = new CopyOnWriteArrayList<>();

        @Override
        public AutoCloseable subscribe(Level min, Consumer<String> sink) {
            sinks.add(sink);
            return () -> sinks.remove(sink);
        }

        void emit(String line) {
            sinks.forEach(s -> s.accept(line));
        }
    }

    @BeforeAll
    void cluster() throws Exception {
        serf = SerfBinary.require();
        agent = SerfAgent.start("serf-a", Map.of("role", "db"), KEY,
                "-event-handler=query:ping=echo pong-serf");
        Keyring ring = Keyring.fromBase64(List.of(KEY));
        j1 = java.start("java-1", Map.of("role", "web", "dc", "lab"), ring, b -> b.rpc(RpcConfig.builder()
                .port(FreePorts.next()).logSource(logs).build()));
        j2 = java.start("java-2", Map.of("role", "web"), ring, b -> b.rpc(RpcConfig.builder()
                .port(FreePorts.next()).authKey(AUTH).build()));
        for (JavaNodes.Node n : List.of(j1, j2)) {
            n.node().addListener(e -> {
                if (e instanceof Query q && q.name().equals("ping")) {
                    q.respond(("pong-" + n.node().name()).getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        j1.node().join(List.of(agent.gossipAddress()));
        j2.node().join(List.of(j1.address()));
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.members().size() == 3
                && agent.members().values().stream().allMatch(m -> m.get("status").asString().equals("alive"))
                && j1.node().members().size() == 3 && j2.node().members().size() == 3);
    }

    @AfterAll
    void stop() throws InterruptedException {
        java.close();
        if (agent != null) {
            agent.close();
        }
    }

    private int rpcPort(JavaNodes.Node n) {
        return n.node().rpcServer().orElseThrow().address().getPort();
    }

    /** {@code serf <command> -rpc-addr=127.0.0.1:<port> args...}. */
    private SerfAgent.Result cli(int port, String command, String... args) throws IOException, InterruptedException {
        return SerfAgent.cli(serf, port, command, args);
    }

    private SerfAgent.Result ok(int port, String command, String... args) throws IOException, InterruptedException {
        SerfAgent.Result r = cli(port, command, args);
        assertThat(r.exitCode()).as("serf %s %s exit code; output:%n%s", command, List.of(args), r.output()).isZero();
        return r;
    }

    /** {@code members -format=json} as name → member, the fields serf prints. */
    private Map<String, JsonNode> membersJson(int port, String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("-format=json"));
        args.addAll(List.of(filters));
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode m : JSON.readTree(ok(port, "members", args.toArray(String[]::new)).output()).get("members")) {
            out.put(m.get("name").asString(), m);
        }
        return out;
    }

    @Test
    @Order(1)
    void membersJsonFromAJavaNodeEqualsTheSerfAgents() throws Exception {
        Map<String, JsonNode> fromJava = membersJson(rpcPort(j1));
        Map<String, JsonNode> fromSerf = membersJson(agent.rpcPort);
        assertThat(fromJava.keySet()).containsExactly("java-1", "java-2", "serf-a");
        assertThat(fromJava).as("serf members -format=json via java-1 vs via serf-a").isEqualTo(fromSerf);
        assertThat(ok(rpcPort(j1), "members").output()).contains("java-2", "serf-a", "alive", "role=web");
    }

    @Test
    @Order(2)
    void filteredMembersMatchTheSerfAgents() throws Exception {
        String[] filter = {"-status=alive", "-tag", "role=w.*"};
        assertThat(membersJson(rpcPort(j1), filter).keySet()).containsExactly("java-1", "java-2")
                .isEqualTo(membersJson(agent.rpcPort, filter).keySet());
        assertThat(membersJson(rpcPort(j1), "-name=java-.").keySet()).containsExactly("java-1", "java-2");
        assertThat(membersJson(rpcPort(j1), "-status=failed").keySet()).isEmpty();
    }

    @Test
    @Order(3)
    void tagsSetAndDeleteReachTheSerfAgent() throws Exception {
        ok(rpcPort(j1), "tags", "-set", "zone=a", "-delete", "dc");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.tags("java-1").equals(Map.of("role", "web", "zone", "a")));
    }

    @Test
    @Order(4)
    void eventSentThroughAJavaNodeReachesTheOtherNode() throws Exception {
        ok(rpcPort(j1), "event", "deploy", "v7");
        await().atMost(Duration.ofSeconds(10)).until(() -> j2.events().stream().anyMatch(e ->
                e instanceof GossipEvent.UserEvent u && u.name().equals("deploy")
                        && new String(u.payload(), StandardCharsets.UTF_8).equals("v7")));
    }

    @Test
    @Order(5)
    void queryGetsAcksAndResponsesFromEveryMember() throws Exception {
        JsonNode r = JSON.readTree(ok(rpcPort(j1), "query", "-format=json", "-timeout=3s", "ping", "hi").output());
        Set<String> acks = new TreeSet<>();
        r.get("Acks").forEach(a -> acks.add(a.asString()));
        Map<String, String> responses = new TreeMap<>();
        r.get("Responses").properties().forEach(e -> responses.put(e.getKey(), e.getValue().asString().trim()));
        assertThat(acks).containsExactly("java-1", "java-2", "serf-a");
        assertThat(responses).containsExactlyInAnyOrderEntriesOf(Map.of(
                "java-1", "pong-java-1", "java-2", "pong-java-2", "serf-a", "pong-serf"));
    }

    @Test
    @Order(6)
    void reachabilityContactsAllLiveNodes() throws Exception {
        assertThat(ok(rpcPort(j1), "reachability").output()).contains("Total members: 3, live members: 3")
                .contains("Successfully contacted all live nodes");
    }

    @Test
    @Order(7)
    void infoShowsTheNodesSections() throws Exception {
        JsonNode info = JSON.readTree(ok(rpcPort(j1), "info", "-format=json").output());
        assertThat(info.get("agent").get("name").asString()).isEqualTo("java-1");
        assertThat(info.get("serf").get("members").asString()).isEqualTo("3");
        assertThat(info.get("serf").get("encrypted").asString()).isEqualTo("true");
        assertThat(info.get("tags").get("role").asString()).isEqualTo("web");
        assertThat(info.get("runtime").get("cpu_count").asString()).isNotEmpty();
    }

    @Test
    @Order(8)
    void rttEstimatesTheDistanceFromCoordinates() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> cli(rpcPort(j1), "rtt", "java-1", "serf-a").exitCode() == 0);
        assertThat(ok(rpcPort(j1), "rtt", "serf-a").output()).matches("(?s)Estimated serf-a <-> java-1 rtt: [0-9.]+ ms.*");
        assertThat(cli(rpcPort(j1), "rtt", "nobody").output()).contains("Could not find a coordinate for node \"nobody\"");
    }

    @Test
    @Order(9)
    void authKeyIsRequiredWhenSet() throws Exception {
        long refusedBefore = j2.node().rpcServer().orElseThrow().counters().drops(RpcDrop.AUTH_REQUIRED);
        SerfAgent.Result refused = cli(rpcPort(j2), "members");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("Authentication required");
        assertThat(j2.node().rpcServer().orElseThrow().counters().drops(RpcDrop.AUTH_REQUIRED)).isEqualTo(refusedBefore + 1);
        assertThat(cli(rpcPort(j2), "members", "-rpc-auth=wrong").output()).contains("Invalid authentication token");
        assertThat(ok(rpcPort(j2), "members", "-rpc-auth=" + AUTH).output()).contains("java-1", "serf-a");
    }

    @Test
    @Order(10)
    void monitorStreamsLogLines() throws Exception {
        Process p = new ProcessBuilder(serf, "monitor", "-rpc-addr=127.0.0.1:" + rpcPort(j1), "-log-level=info")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Thread emitter = new Thread(() -> {
                for (int i = 0; i < 200 && p.isAlive(); i++) {
                    logs.emit("2026/12/02 10:00:00 [INFO] test: line " + i);
                    try {
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            emitter.setDaemon(true);
            emitter.start();
            List<String> lines = new ArrayList<>();
            String line;
            while (lines.size() < 3 && (line = out.readLine()) != null) {
                if (line.contains("[INFO] test: line")) {
                    lines.add(line);
                }
            }
            assertThat(lines).hasSize(3);
        } finally {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** {@code keys -list} as key → "[n/total]". */
    private Map<String, String> keys(int port, String... auth) throws Exception {
        List<String> args = new ArrayList<>(List.of("-list"));
        args.addAll(List.of(auth));
        Map<String, String> out = new TreeMap<>();
        for (String line : ok(port, "keys", args.toArray(String[]::new)).output().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[1].startsWith("[")) {
                out.put(cols[0], cols[1]);
            }
        }
        return out;
    }

    @Test
    @Order(11)
    void keysListInstallUseRemoveAgreeWithTheSerfAgent() throws Exception {
        assertThat(keys(rpcPort(j1))).isEqualTo(Map.of(KEY, "[3/3]")).isEqualTo(keys(agent.rpcPort));
        assertThat(ok(rpcPort(j1), "keys", "-install", NEW_KEY).output()).contains("Successfully installed key!");
        assertThat(keys(agent.rpcPort)).isEqualTo(Map.of(KEY, "[3/3]", NEW_KEY, "[3/3]"));
        assertThat(ok(rpcPort(j1), "keys", "-use", NEW_KEY).output()).contains("Successfully changed primary key!");
        assertThat(ok(rpcPort(j1), "keys", "-remove", KEY).output()).contains("Successfully removed key!");
        assertThat(keys(rpcPort(j1))).isEqualTo(Map.of(NEW_KEY, "[3/3]")).isEqualTo(keys(agent.rpcPort));
        SerfAgent.Result bad = cli(rpcPort(j1), "keys", "-install", "not-base64!");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output()).contains("Error installing key");
    }

    @Test
    @Order(12)
    void joinThenLeaveShutsTheJavaNodeDown() throws Exception {
        Keyring ring = Keyring.fromBase64(List.of(NEW_KEY));
        JavaNodes.Node j3 = java.start("java-3", Map.of(), ring, b -> b.rpc(RpcConfig.builder().port(0).build()));
        int port = rpcPort(j3);
        assertThat(ok(port, "join", agent.gossipAddress()).output())
                .contains("Successfully joined cluster by contacting 1 nodes");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.status("java-3").equals("alive"));
        assertThat(ok(port, "leave").output()).contains("Graceful leave complete");
        assertThat(j3.node().isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.status("java-3").equals("left"));
    }

    @Test
    @Order(13)
    void forceLeaveTurnsAFailedMemberIntoLeft() throws Exception {
        Keyring ring = Keyring.fromBase64(List.of(NEW_KEY));
        JavaNodes.Node j4 = java.start("java-4", Map.of(), ring, b -> b.profile(Profile.LAN));
        j4.node().join(List.of(j1.address()));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.status("java-4").equals("alive"));
        j4.node().shutdown();
        await().atMost(Duration.ofSeconds(30)).until(() -> j1.statusOf("java-4") == MemberStatus.FAILED);
        ok(rpcPort(j1), "force-leave", "java-4");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.status("java-4").equals("left")
                && j1.statusOf("java-4") == MemberStatus.LEFT);
    }
}
