package dev.gossip.sample;

import dev.gossip.core.GossipNode;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Sample apps started in this JVM exactly as the jar would run them, on random ports. */
final class SampleCluster implements AutoCloseable {

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private String seed;

    /** @param role the profiles, comma-separated (greeter, frontend, frontend,client) */
    ConfigurableApplicationContext start(String role, String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.cloud.gossip.bind-port=0",
                "--spring.cloud.gossip.node-name=" + name, "--spring.cloud.gossip.dashboard.enabled=true",
                "--spring.main.banner-mode=off"));
        if (seed != null) {
            args.add("--spring.cloud.gossip.seeds=" + seed);
        }
        args.addAll(List.of(extra));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(SampleApplication.class)
                .profiles(role.split(",")).run(args.toArray(String[]::new));
        if (seed == null) {
            // No node at all with discovery off: then the next app seeds the cluster.
            ctx.getBeanProvider(GossipNode.class).ifAvailable(
                    node -> seed = "127.0.0.1:" + node.localMember().orElseThrow().port());
        }
        apps.add(ctx);
        return ctx;
    }

    static String url(ConfigurableApplicationContext ctx, String path) {
        return "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port") + path;
    }

    static void stop(ConfigurableApplicationContext ctx) {
        if (ctx.isActive()) {
            SpringApplication.exit(ctx);
        }
    }

    @Override
    public void close() {
        for (int i = apps.size() - 1; i >= 0; i--) {
            stop(apps.get(i));
        }
    }
}
