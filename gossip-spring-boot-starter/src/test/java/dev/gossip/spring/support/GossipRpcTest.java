package dev.gossip.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipNode;
import dev.gossip.core.rpc.RpcServer;
import dev.gossip.spring.GossipAutoConfiguration;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

/** spring.cloud.gossip.rpc.* serve serf's RPC from the application's node; monitor streams Logback's lines. */
class GossipRpcTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, GossipAutoConfiguration.class))
            .withPropertyValues("spring.application.name=orders", "spring.cloud.gossip.bind-address=127.0.0.1",
                    "spring.cloud.gossip.bind-port=0", "spring.cloud.gossip.drain-period=0");

    /** A minimal serf RPC client: header {Command, Seq} plus a body map. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final MessageUnpacker in;
        long seq;

        Client(RpcServer server) throws IOException {
            socket = new Socket(server.address().getAddress(), server.address().getPort());
            socket.setSoTimeout(5000);
            out = socket.getOutputStream();
            in = MessagePack.newDefaultUnpacker(new BufferedInputStream(socket.getInputStream()));
        }

        long send(String command, String key, Object value) throws IOException {
            MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
            p.packMapHeader(2).packString("Command").packString(command).packString("Seq").packLong(++seq);
            if (key != null) {
                p.packMapHeader(1).packString(key);
                if (value instanceof String s) {
                    p.packString(s);
                } else {
                    p.packLong(((Number) value).longValue());
                }
            }
            out.write(p.toByteArray());
            out.flush();
            return seq;
        }

        Map<String, Value> read() throws IOException {
            Map<String, Value> m = new HashMap<>();
            in.unpackValue().asMapValue().map().forEach((k, v) -> m.put(k.asStringValue().asString(), v));
            return m;
        }

        String error() throws IOException {
            return read().get("Error").asStringValue().asString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void offByDefault() {
        runner.run(ctx -> assertThat(ctx.getBean(GossipNode.class).rpcServer()).isEmpty());
    }

    @Test
    void monitorStreamsTheApplicationsLogbackLines() {
        runner.withPropertyValues("spring.cloud.gossip.rpc.enabled=true", "spring.cloud.gossip.rpc.address=127.0.0.1:0")
                .run(ctx -> {
                    RpcServer server = ctx.getBean(GossipNode.class).rpcServer().orElseThrow();
                    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
                    try (Client c = new Client(server)) {
                        c.send("handshake", "Version", 1);
                        assertThat(c.error()).isEmpty();
                        LoggerFactory.getLogger("rpc.check").warn("before the monitor");
                        LoggerFactory.getLogger("rpc.check").info("info before the monitor");
                        long seq = c.send("monitor", "LogLevel", "warn");
                        assertThat(c.error()).isEmpty();
                        LoggerFactory.getLogger("rpc.check").info("below the monitor's level");
                        LoggerFactory.getLogger("rpc.check").warn("hello from the app");
                        List<String> lines = new ArrayList<>();
                        while (lines.isEmpty() || !lines.get(lines.size() - 1).contains("hello from the app")) {
                            assertThat(c.read().get("Seq").asIntegerValue().asLong()).isEqualTo(seq);
                            lines.add(c.read().get("Log").asStringValue().asString());
                        }
                        // serf replays its recent lines to a new monitor (log_writer.go:RegisterHandler)
                        assertThat(lines).as("recent lines first, then new ones, at WARN and above")
                                .anyMatch(l -> l.endsWith("[WARN] check: before the monitor"))
                                .noneMatch(l -> l.contains("[INFO]"));
                        assertThat(lines.get(lines.size() - 1))
                                .matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[WARN\\] check: hello from the app");
                    }
                });
    }

    @Test
    void authKeyIsRequiredWhenSet() {
        runner.withPropertyValues("spring.cloud.gossip.rpc.enabled=true", "spring.cloud.gossip.rpc.address=127.0.0.1:0",
                "spring.cloud.gossip.rpc.auth-key=s3cret").run(ctx -> {
                    try (Client c = new Client(ctx.getBean(GossipNode.class).rpcServer().orElseThrow())) {
                        c.send("handshake", "Version", 1);
                        assertThat(c.error()).isEmpty();
                        c.send("members", null, null);
                        assertThat(c.error()).isEqualTo("Authentication required");
                        c.send("auth", "AuthKey", "s3cret");
                        assertThat(c.error()).isEmpty();
                    }
                });
    }

    @Test
    void anRpcPortInUseNamesTheProperty() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues("spring.cloud.gossip.rpc.enabled=true",
                    "spring.cloud.gossip.rpc.address=127.0.0.1:" + taken.getLocalPort()).run(ctx -> {
                        assertThat(ctx).hasFailed();
                        Throwable t = ctx.getStartupFailure();
                        while (t != null && !(t instanceof GossipStartupException)) {
                            t = t.getCause();
                        }
                        assertThat(t).isInstanceOf(GossipStartupException.class);
                        assertThat(((GossipStartupException) t).getProperty()).isEqualTo("spring.cloud.gossip.rpc.address");
                    });
        }
    }
}
