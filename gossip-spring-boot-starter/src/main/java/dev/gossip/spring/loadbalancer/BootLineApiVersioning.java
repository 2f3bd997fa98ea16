package dev.gossip.spring.loadbalancer;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;

/**
 * Boot 4: Spring Cloud LoadBalancer's API-version filter over Spring Framework 7's API versions.
 * gossip-spring-boot3-starter has its own class of this name.
 */
public class BootLineApiVersioning implements ApiVersioning {

    @Override
    public void apply(ServiceInstanceListSupplierBuilder builder, boolean reactive) {
        if (reactive) {
            builder.withReactiveApiVersioning();
        } else {
            builder.withBlockingApiVersioning();
        }
    }
}
