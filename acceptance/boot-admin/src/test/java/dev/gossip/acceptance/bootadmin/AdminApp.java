package dev.gossip.acceptance.bootadmin;

import de.codecentric.boot.admin.server.config.EnableAdminServer;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** A Spring Boot Admin server that learns its applications from the DiscoveryClient (gossip). */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableAdminServer
class AdminApp {

    static final String[] ARGS = {
            // a client only: the admin server watches the greeters, not itself
            "--spring.cloud.gossip.discovery.register=false",
    };
}
