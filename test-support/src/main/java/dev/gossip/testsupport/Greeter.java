package dev.gossip.testsupport;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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
}
