package dev.gossip.spring.aot;

import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image of an app using the starter must keep that static analysis cannot see:
 * only what is loaded by name or looked up reflectively at run time.
 *
 * <ul>
 *   <li>The dashboard page, read with {@code getResourceAsStream}.
 *   <li>msgpack-core's big-endian and universal buffers: {@code MessageBuffer} picks one by class
 *       name and calls its constructor reflectively (big-endian CPUs, or no usable
 *       {@code sun.misc.Unsafe}, or {@code -Dmsgpack.universal-buffer=true}).
 *   <li>The core's Netty handlers: Netty looks up their public methods reflectively (to skip
 *       {@code @Skip} ones, and for {@code SimpleChannelInboundHandler}'s message type); Netty's
 *       own metadata registers its handlers the same way, but cannot know ours.
 * </ul>
 *
 * <p>Not needed, so not registered: the JSON of {@code /actuator/gossip}, the dashboard's
 * {@code /members}, {@code /actuator/serviceregistry} and the health details is built from maps,
 * lists, strings, numbers and booleans, which Jackson writes without reflection; endpoint
 * operations, configuration properties and auto-configurations are processed by Spring Boot's
 * AOT; the failure analyzer in {@code spring.factories} is covered by Spring's
 * {@code SpringFactoriesLoaderRuntimeHints}; Netty's NIO channels by Netty's own metadata.
 */
public class GossipRuntimeHints implements RuntimeHintsRegistrar {

    /** Where {@code GossipDashboardAutoConfiguration} loads its page from. */
    static final String DASHBOARD_PAGE = "dev/gossip/spring/dashboard/dashboard.html";

    /** Buffers msgpack-core instantiates by name; {@code MessageBuffer} itself needs nothing. */
    static final List<String> MSGPACK_BUFFERS = List.of("org.msgpack.core.buffer.MessageBufferBE",
            "org.msgpack.core.buffer.MessageBufferU");

    static final List<String> NETTY_HANDLERS = List.of("dev.gossip.core.transport.netty.PacketHandler",
            "dev.gossip.core.transport.netty.InboundStreamInitializer",
            "dev.gossip.core.transport.netty.InboundStreamHandler",
            "dev.gossip.core.transport.netty.OutboundStreamInitializer",
            "dev.gossip.core.transport.netty.OutboundStreamHandler",
            "dev.gossip.core.transport.netty.TrickleThrottle");

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern(DASHBOARD_PAGE);
        for (String buffer : MSGPACK_BUFFERS) {
            // The two constructors MessageBuffer's static initializer looks up.
            hints.reflection().registerType(TypeReference.of(buffer), type -> type
                    .withConstructor(TypeReference.listOf(byte[].class, int.class, int.class), ExecutableMode.INVOKE)
                    .withConstructor(TypeReference.listOf(ByteBuffer.class), ExecutableMode.INVOKE));
        }
        for (String handler : NETTY_HANDLERS) {
            hints.reflection().registerType(TypeReference.of(handler));
        }
    }
}
