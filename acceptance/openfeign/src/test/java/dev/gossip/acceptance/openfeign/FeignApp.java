package dev.gossip.acceptance.openfeign;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Configuration;

/** A frontend that calls the greeters only through its Feign client. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableFeignClients(clients = GreeterClient.class)
class FeignApp {

    /** A client only: the frontend is no service of its own. */
    static final String[] ARGS = {"--spring.cloud.gossip.discovery.register=false"};
}
