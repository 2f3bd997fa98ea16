package dev.gossip.compat.boot35;

import dev.gossip.testsupport.GreetingController;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.LoadBalancedClients;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Boot 3.5 web apps with the gossip starter, started by test-support's Launcher (random ports, 127.0.0.1 gossip). */
final class Boot35Apps {

    private Boot35Apps() {}

    /** Answers {@code /greeting} with its instance id, and calls others through @LoadBalanced clients. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({GreetingController.class, LoadBalancedClients.class})
    static class App {
    }

    /** @param seed host:port of a member to join, null for the first */
    static ConfigurableApplicationContext start(String service, String name, String seed, String... extra) {
        return Launcher.app(App.class).service(service).name(name).seed(seed)
                .args("--management.endpoint.health.show-details=always").args(extra).start();
    }
}
