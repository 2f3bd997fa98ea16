package dev.gossip.acceptance.gateway;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Cloud Gateway as configured by properties, plus a filter that tells the test where each call went. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class GatewayApp {

    /** The discovery locator: a route {@code /<service>/**} to {@code lb://<service>} per service. */
    static final String[] ARGS = {
            "--spring.cloud.gateway.server.webflux.discovery.locator.enabled=true",
            "--spring.cloud.gateway.server.webflux.discovery.locator.lower-case-service-id=true",
            // a client only: the gateway itself is no route target
            "--spring.cloud.gossip.discovery.register=false",
            // the locator drops the route of a service whose getInstances() is empty: listing the
            // down ones keeps it, so the gateway answers 503 (the load balancer only offers UP ones)
            "--spring.cloud.gossip.discovery.include-statuses=UP,OUT_OF_SERVICE,DOWN",
    };

    @Bean
    RoutedTo routedTo() {
        return new RoutedTo();
    }
}
