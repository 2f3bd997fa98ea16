package dev.gossip.spring.it;

import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;

/** greeter-1, greeter-2 and frontend-1 in this JVM, the frontend seeing both greeters; closed in reverse. */
final class GreetersAndFrontend implements AutoCloseable {

    final ConfigurableApplicationContext greeter1;
    final ConfigurableApplicationContext greeter2;
    final ConfigurableApplicationContext frontend;
    /** The frontend's call loop, once a test starts one; closed first. */
    Traffic traffic;

    private GreetersAndFrontend(ConfigurableApplicationContext greeter1, ConfigurableApplicationContext greeter2,
                                ConfigurableApplicationContext frontend) {
        this.greeter1 = greeter1;
        this.greeter2 = greeter2;
        this.frontend = frontend;
    }

    static GreetersAndFrontend start(String... frontendArgs) {
        ConfigurableApplicationContext g1 = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(g1);
        ConfigurableApplicationContext g2 = Apps.greeter("greeter-2", seed);
        ConfigurableApplicationContext fe = Apps.frontend("frontend-1", seed, frontendArgs);
        GreetersAndFrontend apps = new GreetersAndFrontend(g1, g2, fe);
        await().atMost(Duration.ofSeconds(30)).until(() -> apps.frontend
                .getBean(org.springframework.cloud.client.discovery.DiscoveryClient.class)
                .getInstances("greeter").size() == 2);
        return apps;
    }

    @Override
    public void close() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        Apps.closeAll(frontend, greeter2, greeter1);
    }
}
