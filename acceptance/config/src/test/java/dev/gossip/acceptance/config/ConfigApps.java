package dev.gossip.acceptance.config;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.cloud.config.server.EnableConfigServer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** A Config server and Config clients, several per JVM, on random HTTP ports and 127.0.0.1 gossip. */
final class ConfigApps {

    private ConfigApps() {}

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableConfigServer
    static class ConfigServer {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Client {
    }

    private static final Map<String, String> COMMON = Map.of(
            "server.port", "0",
            "spring.main.banner-mode", "off",
            "spring.cloud.gossip.bind-address", "127.0.0.1",
            "spring.cloud.gossip.bind-port", "0",
            "spring.cloud.gossip.drain-period", "0s",
            "logging.level.dev.gossip", "INFO");

    /** A native-profile Config server serving {@code searchLocation}, registered as service "configserver". */
    static ConfigurableApplicationContext configServer(String searchLocation) {
        Map<String, String> args = new LinkedHashMap<>(COMMON);
        args.put("spring.application.name", "configserver");
        args.put("spring.profiles.active", "native");
        args.put("spring.cloud.config.server.native.search-locations", searchLocation);
        args.put("spring.cloud.config.enabled", "false"); // it serves config, it does not import any
        args.put("spring.cloud.gossip.catalog.enabled", "true"); // for thin clients (catalog-urls)
        return new SpringApplicationBuilder(ConfigServer.class).run(commandLine(args, List.of()));
    }

    /**
     * A discovery-first Config client: imports {@code configserver:} from service "configserver",
     * found through gossip by joining {@code seed}. {@code extra} ({@code --name=value}) replaces
     * these defaults: a repeated option would bind as a list.
     */
    static ConfigurableApplicationContext client(String name, String seed, EnvironmentClock clock, String... extra) {
        Map<String, String> args = new LinkedHashMap<>(COMMON);
        args.put("spring.application.name", name);
        // the Config server on this JVM's class path disables the client unless this says otherwise
        args.put("spring.cloud.config.enabled", "true");
        args.put("spring.config.import", "configserver:");
        args.put("spring.cloud.config.discovery.enabled", "true");
        args.put("spring.cloud.config.discovery.service-id", "configserver");
        args.put("spring.cloud.gossip.seeds", seed);
        return new SpringApplicationBuilder(Client.class).listeners(clock).run(commandLine(args, List.of(extra)));
    }

    private static String[] commandLine(Map<String, String> defaults, List<String> extra) {
        Map<String, String> args = new LinkedHashMap<>(defaults);
        for (String option : extra) {
            int eq = option.indexOf('=');
            if (!option.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + option);
            }
            args.put(option.substring(2, eq), option.substring(eq + 1));
        }
        return args.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** host:port of the app's gossip node. */
    static String gossipAddress(ConfigurableApplicationContext ctx) {
        return "127.0.0.1:" + ctx.getBean(GossipNode.class).localMember().orElseThrow().port();
    }

    /** Names of the members {@code node} sees in {@code status}, other than itself. */
    static Set<String> others(GossipNode node, MemberStatus status) {
        return node.members().stream().filter(m -> m.status() == status && !m.name().equals(node.name()))
                .map(Member::name).collect(Collectors.toSet());
    }

    /** A port free on 127.0.0.1 for both TCP and UDP right now. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = tcp.getLocalPort();
            }
            if (udpFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on 127.0.0.1");
    }

    static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean udpFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Records, once the environment is prepared (the Config server's properties imported), when
     * that was, a property's value, and whatever {@code snapshot} returns at that moment.
     */
    static final class EnvironmentClock implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
        private final String property;
        private final Supplier<Set<String>> snapshot;
        private final long startNanos = System.nanoTime();
        private volatile long preparedNanos;
        private volatile String value;
        private volatile Set<String> snapshotAtPrepared;

        EnvironmentClock(String property, Supplier<Set<String>> snapshot) {
            this.property = property;
            this.snapshot = snapshot;
        }

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            value = event.getEnvironment().getProperty(property);
            snapshotAtPrepared = snapshot.get();
            preparedNanos = System.nanoTime();
        }

        /** Milliseconds from this clock's creation to the prepared environment. */
        long millisToEnvironment() {
            if (preparedNanos == 0) {
                throw new IllegalStateException("the environment was never prepared");
            }
            return (preparedNanos - startNanos) / 1_000_000;
        }

        long millisSinceCreation() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        String value() {
            return value;
        }

        Set<String> snapshot() {
            return snapshotAtPrepared;
        }
    }
}
