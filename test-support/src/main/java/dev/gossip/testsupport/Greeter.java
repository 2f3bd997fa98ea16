package dev.gossip.testsupport;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A web app that answers {@code GET /greeting} with its instance id. It runs on whichever web
 * stack the test module puts on the classpath (Spring MVC or WebFlux).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class Greeter {

    @Bean
    GreetingController greetingController() {
        return new GreetingController();
    }

    /** On WebFlux, lets {@link Crash} cut the open connections. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Crash.REACTOR_NETTY)
    static class ReactorNettyConnections {

        @Bean
        OpenConnections openConnections() {
            return new OpenConnections();
        }
    }
}
