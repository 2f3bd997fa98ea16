package dev.gossip.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.actuate.ClusterView;
import dev.gossip.spring.actuate.GossipHealthIndicator;
import dev.gossip.spring.actuate.SimulatedCluster;
import dev.gossip.spring.dashboard.GossipDashboardAutoConfiguration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.support.GossipStartupFailureAnalyzer;
import io.netty.channel.ChannelHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The starter's native-image hints: registered through aot.factories, and covering what is loaded by name. */
class GossipRuntimeHintsTest {

    private final ClassLoader classLoader = getClass().getClassLoader();

    private RuntimeHints gossipHints() {
        RuntimeHints hints = new RuntimeHints();
        new GossipRuntimeHints().registerHints(hints, classLoader);
        return hints;
    }

    @Test
    void aotFactoriesListsTheRegistrar() {
        List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
                .forResourceLocation("META-INF/spring/aot.factories", classLoader).load(RuntimeHintsRegistrar.class);
        assertThat(registrars).hasAtLeastOneElementOfType(GossipRuntimeHints.class);
    }

    @Test
    void theDashboardPageIsKeptWhereTheDashboardLoadsItFrom() {
        assertThat(RuntimeHintsPredicates.resource().forResource("dev/gossip/spring/dashboard/dashboard.html"))
                .accepts(gossipHints());
        assertThat(GossipDashboardAutoConfiguration.class.getResource("dashboard.html"))
                .as("the page getResourceAsStream reads").isNotNull()
                .isEqualTo(classLoader.getResource(GossipRuntimeHints.DASHBOARD_PAGE));
    }

    @Test
    void msgpackBuffersChosenByNameCanBeConstructedReflectively() throws Exception {
        RuntimeHints hints = gossipHints();
        for (String name : GossipRuntimeHints.MSGPACK_BUFFERS) {
            Class<?> buffer = Class.forName(name, false, classLoader);
            assertThat(RuntimeHintsPredicates.reflection()
                    .onConstructorInvocation(buffer.getDeclaredConstructor(byte[].class, int.class, int.class)))
                    .as(name + "(byte[], int, int)").accepts(hints);
            assertThat(RuntimeHintsPredicates.reflection()
                    .onConstructorInvocation(buffer.getDeclaredConstructor(ByteBuffer.class)))
                    .as(name + "(ByteBuffer)").accepts(hints);
        }
    }

    @Test
    void everyNettyHandlerOfTheCoreIsRegistered() throws Exception {
        List<String> handlers = new ArrayList<>();
        for (Resource r : new PathMatchingResourcePatternResolver(classLoader)
                .getResources("classpath*:dev/gossip/core/transport/netty/*.class")) {
            String name = "dev.gossip.core.transport.netty." + r.getFilename().replace(".class", "");
            if (ChannelHandler.class.isAssignableFrom(Class.forName(name, false, classLoader))) {
                handlers.add(name);
            }
        }
        assertThat(handlers).as("ChannelHandlers in gossip-core")
                .containsExactlyInAnyOrderElementsOf(GossipRuntimeHints.NETTY_HANDLERS);
        RuntimeHints hints = gossipHints();
        handlers.forEach(h -> assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(h)))
                .as(h).accepts(hints));
    }

    /** Why no JSON type is registered: every view is maps and lists of plain values. */
    @Test
    void theJsonViewsNeedNoReflection() {
        GossipNode node = new SimulatedCluster(3).startAll(2).get(0);
        assertPlain("/actuator/gossip and the dashboard", ClusterView.of(node));
        Object status = new GossipServiceRegistry(node, Map.of()).getStatus(null);
        assertPlain("/actuator/serviceregistry", status);
        assertPlain("health details", new GossipHealthIndicator(node).health().getDetails());
    }

    /** Also why: Spring's own registrar covers the failure analyzer listed in spring.factories. */
    @Test
    void theFailureAnalyzerIsCoveredBySpringsHintsForSpringFactories() throws Exception {
        RuntimeHints all = new RuntimeHints();
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories", classLoader)
                .load(RuntimeHintsRegistrar.class).forEach(r -> r.registerHints(all, classLoader));
        assertThat(RuntimeHintsPredicates.reflection()
                .onConstructorInvocation(GossipStartupFailureAnalyzer.class.getDeclaredConstructor()))
                .accepts(all);
        assertThat(RuntimeHintsPredicates.reflection()
                .onConstructorInvocation(GossipStartupFailureAnalyzer.class.getDeclaredConstructor()))
                .as("not registered twice").rejects(gossipHints());
    }

    private static void assertPlain(String where, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                assertThat(k).as(where).isInstanceOf(String.class);
                assertPlain(where + "." + k, v);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> assertPlain(where + "[]", v));
        } else if (value != null) {
            assertThat(value).as(where).isInstanceOfAny(String.class, Number.class, Boolean.class);
        }
    }
}
