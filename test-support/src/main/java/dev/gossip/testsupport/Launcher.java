package dev.gossip.testsupport;

import dev.gossip.core.GossipNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a Spring Boot app in this JVM as one cluster member: random HTTP port, gossip on
 * 127.0.0.1 with a free port, a short drain period, and a seed to join (none for the first app).
 * Several can run side by side.
 */
public final class Launcher {

    private final Class<?> source;
    private String service = "app";
    private String name;
    private String seed;
    private Duration drainPeriod = Duration.ofSeconds(1);
    private final List<String> extra = new ArrayList<>();
    private final List<ApplicationListener<?>> listeners = new ArrayList<>();

    private Launcher(Class<?> source) {
        this.source = source;
    }

    public static Launcher app(Class<?> source) {
        return new Launcher(source);
    }

    /** spring.application.name: the service id others call. */
    public Launcher service(String service) {
        this.service = service;
        return this;
    }

    /** Gossip node name, also the instance id. */
    public Launcher name(String name) {
        this.name = name;
        return this;
    }

    /** host:port of any member; null for the first app of a cluster. */
    public Launcher seed(String seed) {
        this.seed = seed;
        return this;
    }

    public Launcher drainPeriod(Duration drainPeriod) {
        this.drainPeriod = drainPeriod;
        return this;
    }

    /** More command-line arguments, {@code --key=value}; later ones win. */
    public Launcher args(String... args) {
        extra.addAll(List.of(args));
        return this;
    }

    public Launcher listener(ApplicationListener<?> listener) {
        listeners.add(listener);
        return this;
    }

    public ConfigurableApplicationContext start() {
        if (name == null) {
            throw new IllegalStateException("name the app: node names must be unique in the cluster");
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.application.name=" + service,
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.cloud.gossip.node-name=" + name,
                "--spring.cloud.gossip.bind-address=127.0.0.1",
                "--spring.cloud.gossip.bind-port=0",
                "--spring.cloud.gossip.drain-period=" + drainPeriod.toMillis() + "ms",
                "--management.endpoints.web.exposure.include=health,serviceregistry"));
        if (seed != null) {
            args.add("--spring.cloud.gossip.seeds=" + seed);
        }
        args.addAll(extra);
        return new SpringApplicationBuilder(source)
                .listeners(listeners.toArray(ApplicationListener[]::new))
                .initializers(ReactorResources::notGlobal)
                .run(args.toArray(String[]::new));
    }

    /** host:port of the app's gossip node, to use as a seed. */
    public static String gossipAddress(ConfigurableApplicationContext ctx) {
        GossipNode node = ctx.getBean(GossipNode.class);
        return "127.0.0.1:" + node.localMember().orElseThrow().port();
    }

    /** The app's HTTP port (the main web server's, not a separate management server's). */
    public static int httpPort(ConfigurableApplicationContext ctx) {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }
}
