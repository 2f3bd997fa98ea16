package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.support.GossipStartupException;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;

/** Boot 3.5: Spring Framework 6.2 has no API versions, so the {@code api-version} step fails the start. */
public class BootLineApiVersioning implements ApiVersioning {

    @Override
    public void apply(ServiceInstanceListSupplierBuilder builder, boolean reactive) {
        throw new GossipStartupException(LoadBalancerPreset.PROPERTY,
                "The load-balancer configuration 'api-version' needs Spring Framework 7 API versioning (Spring Boot 4);"
                        + " this application runs Spring Boot 3.5",
                "Remove api-version from " + LoadBalancerPreset.PROPERTY + " (or the client's"
                        + " spring.cloud.loadbalancer.clients.<id>.configurations), or move the application to Spring"
                        + " Boot 4 with gossip-spring-boot-starter", null);
    }
}
