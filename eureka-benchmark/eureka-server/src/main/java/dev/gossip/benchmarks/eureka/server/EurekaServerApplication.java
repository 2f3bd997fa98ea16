package dev.gossip.benchmarks.eureka.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * A standalone Eureka server as the Spring Cloud Netflix docs show it: every server default
 * (self-preservation, lease expiry, response cache) kept; only the port is chosen by the caller.
 */
@SpringBootApplication
@EnableEurekaServer
public class EurekaServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(EurekaServerApplication.class, args);
    }
}
