package dev.gossip.testsupport;

import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/** A caller's blocking {@code @LoadBalanced} clients, a RestClient.Builder and a RestTemplate, on any Boot line. */
@Configuration(proxyBeanMethods = false)
public class LoadBalancedClients {

    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder() {
        return RestClient.builder();
    }

    @Bean
    @LoadBalanced
    RestTemplate loadBalancedRestTemplate() {
        return new RestTemplate();
    }
}
