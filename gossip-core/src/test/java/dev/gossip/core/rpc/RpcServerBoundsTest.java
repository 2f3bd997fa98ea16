package dev.gossip.core.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** Hostile and slow clients against one node's RPC server: each is a counted drop, never a crash or a blocked node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcServerBoundsTest {

    private GossipNode node;
    private RpcServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    void node() {
        node = GossipNode.create(GossipConfig.builder().nodeName("bounds").bindAddress("127.0.0.1").bindPort(0).build());
        node.start().join();
    }

    @AfterAll
    void stopNode() {
        node.shutdown();
    }

    @AfterEach
    void closeServer() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
        if (server != null) {
            server.close();
        }
    }

    private RpcServer serve(RpcConfig.Builder b) {
        server = RpcServer.start(node, b.port(0).build());
        return server;
    }

    /** A raw client: sends msgpack maps, reads msgpack objects with our own bounded reader. */
    private final class Client {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        final RequestReader reader;
        long seq;

        Client(int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(server.address());
            socket.setSoTimeout(5000);
            sockets.add(socket);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
            reader = new RequestReader(in, 1 << 20);
        }

        Client() throws IOException {
            this(0);
        }

        /** Sends header {Command, Seq} and, if given, a body of alternating keys and values. */
        long send(String command, Object... body) throws IOException {
            MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
            p.packMapHeader(2).packString("Command").packString(command).packString("Seq").packLong(++seq);
            if (body.length > 0 || RpcCommand.of(command) != null && RpcCommand.of(command).hasBody) {
                p.packMapHeader(body.length / 2);
                for (int i = 0; i < body.length; i += 2) {
                    p.packString((String) body[i]);
                    Object v = body[i + 1];
                    if (v instanceof String s) {
                        p.packString(s);
                    } else if (v instanceof byte[] b) {
                        p.packBinaryHeader(b.length).writePayload(b);
                    } else if (v instanceof Boolean b) {
                        p.packBoolean(b);
                    } else {
                        p.packLong(((Number) v).longValue());
                    }
                }
            }
            out.write(p.toByteArray());
            out.flush();
            return seq;
        }

        /** The next response header's Error. */
        String error() throws IOException {
            return RequestBody.of(reader.read()).string("Error");
        }

        RequestBody body() throws IOException {
            return RequestBody.of(reader.read());
        }

        void handshake() throws IOException {
            send("handshake", "Version", 1);
            assertThat(error()).isEmpty();
        }

        /** Whether the server closed the connection (EOF) within {@code wait}. */
        boolean closedWithin(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                while (true) {
                    if (in.read() < 0) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }
    }

    @Test
    void garbageBytesCloseTheClientAndAreCounted() throws Exception {
        serve(RpcConfig.builder());
        Client c = new Client();
        c.out.write(HexFormat.of().parseHex("c1c1c1c1"));
        assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
        assertThat(server.counters().drops(RpcDrop.MALFORMED_REQUEST)).isEqualTo(1);
        Client ok = new Client();
        ok.handshake(); // the server still serves others
    }

    @Test
    void aHugeDeclaredSizeIsRefusedWithoutReadingIt() throws Exception {
        serve(RpcConfig.builder().maxRequestBytes(4096));
        Client c = new Client();
        c.out.write(HexFormat.of().parseHex("81a7436f6d6d616e64dbfffffff0")); // Command: a 4 GiB string
        assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
        Client big = new Client();
        big.handshake();
        big.send("event", "Name", "x", "Payload", new byte[8192]);
        assertThat(big.closedWithin(Duration.ofSeconds(2))).isTrue();
        assertThat(server.counters().drops(RpcDrop.REQUEST_TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void aCommandBeforeTheHandshakeIsAnsweredThenClosed() throws Exception {
        serve(RpcConfig.builder());
        Client c = new Client();
        c.send("members");
        assertThat(c.error()).isEqualTo("Handshake required");
        assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
        Client u = new Client();
        u.handshake();
        u.send("handshake", "Version", 1);
        assertThat(u.error()).isEqualTo("Handshake already performed");
        u.send("no-such-command");
        assertThat(u.error()).isEqualTo("Unsupported command");
        assertThat(u.closedWithin(Duration.ofSeconds(2))).isTrue();
        assertThat(server.counters().drops(RpcDrop.HANDSHAKE_REQUIRED)).isEqualTo(1);
        assertThat(server.counters().drops(RpcDrop.UNSUPPORTED_COMMAND)).isEqualTo(1);
    }

    @Test
    void silentClientsAreClosedAfterTheHandshakeAndIdleTimeouts() throws Exception {
        serve(RpcConfig.builder().handshakeTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofMillis(300)));
        Client silent = new Client();
        long start = System.nanoTime();
        assertThat(silent.closedWithin(Duration.ofSeconds(3))).isTrue();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).as("closed after the 300 ms handshake timeout").isBetween(250L, 900L);
        assertThat(server.counters().drops(RpcDrop.HANDSHAKE_TIMEOUT)).isEqualTo(1);

        Client idle = new Client();
        idle.handshake();
        assertThat(idle.closedWithin(Duration.ofSeconds(3))).isTrue();
        assertThat(server.counters().drops(RpcDrop.IDLE_TIMEOUT)).isEqualTo(1);

        Client streaming = new Client();
        streaming.handshake();
        streaming.send("stream", "Type", "user");
        assertThat(streaming.error()).isEmpty();
        assertThat(streaming.closedWithin(Duration.ofMillis(900))).as("a client with an open stream may be silent").isFalse();
        assertThat(server.counters().drops(RpcDrop.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void clientsBeyondTheLimitAreRefused() throws Exception {
        serve(RpcConfig.builder().maxClients(2));
        Client a = new Client();
        Client b = new Client();
        a.handshake();
        b.handshake();
        Client c = new Client();
        assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
        assertThat(server.counters().drops(RpcDrop.TOO_MANY_CLIENTS)).isEqualTo(1);
        a.socket.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> server.counters().connected() == 1);
        new Client().handshake();
    }

    @Test
    void commandsBeforeAuthAreRefusedButTheClientMayStillAuthenticate() throws Exception {
        serve(RpcConfig.builder().authKey("k"));
        Client c = new Client();
        c.handshake();
        c.send("members");
        assertThat(c.error()).isEqualTo("Authentication required");
        c.send("auth", "AuthKey", "wrong");
        assertThat(c.error()).isEqualTo("Invalid authentication token");
        c.send("auth", "AuthKey", "k");
        assertThat(c.error()).isEmpty();
        c.send("members");
        assertThat(c.error()).isEmpty();
        assertThat(c.body().toString()).isNotNull();
        assertThat(server.counters().drops(RpcDrop.AUTH_REQUIRED)).isEqualTo(1);
        assertThat(server.counters().drops(RpcDrop.AUTH_FAILED)).isEqualTo(1);
    }

    @Test
    void monitorWithoutALogSourceSaysWhatToChange() throws Exception {
        serve(RpcConfig.builder());
        Client c = new Client();
        c.handshake();
        c.send("monitor", "LogLevel", "loud");
        assertThat(c.error()).isEqualTo("Unknown log level: LOUD");
        c.send("monitor", "LogLevel", "debug");
        assertThat(c.error()).contains("logback-classic").contains("logSource");
    }

    /** Lines pushed by the test, as a chatty logger would. */
    private static final class Lines implements LogSource {
        final List<Consumer<String>> sinks = new CopyOnWriteArrayList<>();

        @Override
        public AutoCloseable subscribe(Level min, Consumer<String> sink) {
            sinks.add(sink);
            return () -> sinks.remove(sink);
        }
    }

    @Test
    void aSlowMonitorReaderLosesLinesNotTheLogger() throws Exception {
        Lines lines = new Lines();
        serve(RpcConfig.builder().recordQueue(16).logSource(lines));
        Client c = new Client(4096);
        c.handshake();
        long seq = c.send("monitor", "LogLevel", "info");
        assertThat(c.error()).isEmpty();
        c.send("members"); // requests run in order: once this is answered, the monitor listens
        assertThat(c.error()).isEmpty();
        c.body();
        assertThat(lines.sinks).hasSize(1);
        String line = "x".repeat(1000);
        int emitted = 10_000;
        long start = System.nanoTime();
        for (int i = 0; i < emitted; i++) {
            lines.sinks.forEach(s -> s.accept(line));
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        long dropped = server.counters().drops(RpcDrop.LOG_RECORD);
        // 10 MB of lines against a client that reads nothing: the queue (16) and the loopback socket
        // buffers take 32 to 106 of them (measured); an unbounded queue would take all 10 000
        assertThat(emitted - dropped).as("lines accepted for the slow reader").isBetween(16L, 250L);
        assertThat(tookMs).as("the logging thread never waited for the client").isLessThan(2000);
        int read = 0;
        while (read < emitted - dropped) {
            RequestBody h = c.body();
            assertThat(h.integer("Seq")).isEqualTo(seq);
            assertThat(c.body().string("Log")).isEqualTo(line);
            read++;
        }
        assertThat(read + dropped).isEqualTo(emitted);
        c.send("stop", "Stop", seq);
        assertThat(c.error()).isEmpty();
        assertThat(lines.sinks).isEmpty();
    }

    /** A client with a small receive buffer, a 16-record queue and an open {@code stream} it will not read. */
    private Client stuckStreamReader(String type) throws IOException {
        serve(RpcConfig.builder().recordQueue(16));
        Client c = new Client(4096);
        c.handshake();
        c.send("stream", "Type", type);
        assertThat(c.error()).isEmpty();
        c.send("members"); // requests run in order: once this is answered, the stream listens
        assertThat(c.error()).isEmpty();
        c.body();
        return c;
    }

    @Test
    void aSlowStreamReaderDoesNotBlockTheNode() throws Exception {
        Client c = stuckStreamReader("user:flood");
        byte[] payload = new byte[400];
        int events = 3000;
        for (int i = 0; i < events; i++) {
            node.sendUserEvent("flood", payload, false);
        }
        long start = System.nanoTime();
        Map<String, String> stats = node.serfStats().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(5),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(stats).containsKey("event_time");
        assertThat((System.nanoTime() - start) / 1_000_000).as("node thread answered while the client is stuck")
                .isLessThan(2000);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counters().drops(RpcDrop.STREAM_RECORD) > 0);
        c.send("members"); // the reply still gets through once the client reads
        long read = 0;
        while (true) {
            RequestBody h = c.body();
            RequestBody b = c.body();
            if (h.integer("Seq") == c.seq) {
                assertThat(h.string("Error")).isEmpty();
                assertThat(b.toString()).isNotNull();
                break;
            }
            assertThat(b.string("Name")).isEqualTo("flood");
            read++;
        }
        // measured 367 to 537 (the queue's 16 plus what the loopback socket buffers hold)
        assertThat(read).as("records that reached the stuck client").isBetween(16L, 1_100L);
        assertThat(read + server.counters().drops(RpcDrop.STREAM_RECORD)).isEqualTo(events);
    }

    @Test
    void aQueryStreamEndsWithDoneEvenWhenRecordsFillTheQueue() throws Exception {
        Client c = stuckStreamReader("user:noise");
        // noise keeps the record queue full from before the query until after it ends
        java.util.concurrent.atomic.AtomicBoolean quiet = new java.util.concurrent.atomic.AtomicBoolean();
        Thread noise = new Thread(() -> {
            while (!quiet.get()) {
                node.sendUserEvent("noise", new byte[400], false);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        });
        noise.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.counters().drops(RpcDrop.STREAM_RECORD) > 0);
        long query = c.send("query", "Name", "q", "Timeout", Duration.ofMillis(200).toNanos());
        Thread.sleep(700); // the query ends while the queue is still full and the client reads nothing
        quiet.set(true);
        noise.join();
        List<String> types = new ArrayList<>();
        boolean replied = false;
        while (!types.contains("done")) {
            RequestBody h = c.body();
            if (h.integer("Seq") == query && !replied) {
                replied = true; // the reply to the query command has no body; its records do
                continue;
            }
            RequestBody b = c.body();
            if (h.integer("Seq") == query) {
                types.add(b.string("Type"));
            }
        }
        assertThat(types).as("the CLI waits for done: it must not be dropped like a record").endsWith("done");
    }
}
