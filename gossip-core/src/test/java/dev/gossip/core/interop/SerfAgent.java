package dev.gossip.core.interop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real {@code serf agent} process on 127.0.0.1 with its own gossip and RPC ports, started by
 * the test and killed by PID. Its log goes to a file the test can search.
 */
final class SerfAgent implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final int port;
    final int rpcPort;
    final Path log;
    private final String binary;
    private final Process process;

    private SerfAgent(String binary, String name, int port, int rpcPort, Path log, Process process) {
        this.binary = binary;
        this.name = name;
        this.port = port;
        this.rpcPort = rpcPort;
        this.log = log;
        this.process = process;
    }

    static SerfAgent start(String name, Map<String, String> tags, String encryptKey, String... extra)
            throws IOException, InterruptedException {
        String binary = SerfBinary.require();
        int port = FreePorts.next();
        int rpcPort = FreePorts.next();
        Path log = Files.createTempFile("serf-" + name + "-", ".log");
        List<String> cmd = new ArrayList<>(List.of(binary, "agent", "-node=" + name,
                "-bind=127.0.0.1:" + port, "-rpc-addr=127.0.0.1:" + rpcPort, "-log-level=debug"));
        tags.forEach((k, v) -> cmd.add("-tag=" + k + "=" + v));
        if (encryptKey != null) {
            cmd.add("-encrypt=" + encryptKey);
        }
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        SerfAgent agent = new SerfAgent(binary, name, port, rpcPort, log, p);
        agent.awaitRpc();
        return agent;
    }

    String gossipAddress() {
        return "127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    private void awaitRpc() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("serf agent " + name + " exited: " + logText());
            }
            try {
                if (run("members").exitCode == 0) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("serf agent " + name + " RPC did not come up: " + logText());
    }

    /** Result of a serf CLI call. */
    record Result(int exitCode, String output) {}

    /** Runs {@code serf <command> -rpc-addr=... args} against this agent. */
    Result run(String command, String... args) throws IOException, InterruptedException {
        return cli(binary, rpcPort, command, args);
    }

    /** Runs {@code serf <command> -rpc-addr=127.0.0.1:<rpcPort> args} against any RPC server (an agent's, a Java node's). */
    static Result cli(String binary, int rpcPort, String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, command, "-rpc-addr=127.0.0.1:" + rpcPort));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("serf " + command + " timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** {@code serf members -format=json}, as name → member JSON. */
    Map<String, JsonNode> members() throws IOException, InterruptedException {
        Result r = run("members", "-format=json");
        if (r.exitCode != 0) {
            throw new IOException("serf members failed: " + r.output);
        }
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode m : JSON.readTree(r.output).get("members")) {
            out.put(m.get("name").asString(), m);
        }
        return out;
    }

    String status(String member) throws IOException, InterruptedException {
        JsonNode m = members().get(member);
        return m == null ? "none" : m.get("status").asString();
    }

    Map<String, String> tags(String member) throws IOException, InterruptedException {
        JsonNode m = members().get(member);
        Map<String, String> tags = new java.util.TreeMap<>();
        if (m != null && m.get("tags") != null) {
            m.get("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
        }
        return tags;
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** kill -9: the agent dies without a word. */
    void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the agent stops without leaving (serf's leave_on_terminate is off by default). */
    void terminate() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        new File(log.toString()).deleteOnExit();
    }
}
