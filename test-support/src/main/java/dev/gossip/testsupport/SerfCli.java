package dev.gossip.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code serf} binary, the oracle of the interop tests: a {@code serf agent} on
 * 127.0.0.1 and free ports, and the CLI commands that talk to it over its RPC address.
 */
public final class SerfCli implements AutoCloseable {

    private final String binary;
    private final Process agent;
    private final Path log;
    private final String rpcAddr;

    private SerfCli(String binary, Process agent, Path log, String rpcAddr) {
        this.binary = binary;
        this.agent = agent;
        this.log = log;
        this.rpcAddr = rpcAddr;
    }

    /**
     * Starts {@code serf agent -node=<node>} joining {@code seed} (host:port), with a debug log in a
     * temp file. Skips the test visibly when serf is missing, except under CI=true (a failure).
     */
    public static SerfCli startAgent(String node, String seed) throws IOException {
        String binary = binary();
        int port = freePort();
        int rpcPort = freePort();
        Path log = Files.createTempFile(node + "-", ".log");
        log.toFile().deleteOnExit();
        Process agent = new ProcessBuilder(binary, "agent", "-node=" + node, "-bind=127.0.0.1:" + port,
                "-rpc-addr=127.0.0.1:" + rpcPort, "-join=" + seed, "-log-level=debug")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SerfCli(binary, agent, log, "127.0.0.1:" + rpcPort);
    }

    /** The serf binary on PATH; skips visibly without it, fails without it when CI=true. */
    public static String binary() {
        return Binaries.required("serf", "apt-get install -y serf");
    }

    /** A loopback port free for both TCP and UDP (gossip uses both on one port). */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                }
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IOException("No free loopback port found");
    }

    /** {@code -rpc-addr=...} of the agent, for CLI commands. */
    public String rpcFlag() {
        return "-rpc-addr=" + rpcAddr;
    }

    public boolean isAlive() {
        return agent.isAlive();
    }

    /**
     * Runs {@code serf <command> -rpc-addr=<agent> <args...>} and returns what it printed; fails
     * on a non-zero exit or after 30 s.
     */
    public String run(String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, command, rpcFlag()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** The agent's log so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the agent by PID, like a crash. */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(agent.pid()).ifPresent(ProcessHandle::destroyForcibly);
        agent.waitFor(10, TimeUnit.SECONDS);
    }
}
