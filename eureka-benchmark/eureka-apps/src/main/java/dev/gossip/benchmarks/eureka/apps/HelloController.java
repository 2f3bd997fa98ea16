package dev.gossip.benchmarks.eureka.apps;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.server.ResponseStatusException;

/**
 * The frontend role, as in the sample app: calls {@code http://greeter/greeting} through a
 * {@code @LoadBalanced} RestClient, here resolved by Spring Cloud LoadBalancer over Eureka with
 * every default (its 35 s instance cache included). A call no greeter answered is a 502.
 */
@RestController
@Profile("frontend")
public class HelloController {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    private final RestClient greeter;

    public HelloController(@LoadBalanced RestClient.Builder loadBalanced) {
        this.greeter = loadBalanced.baseUrl("http://greeter").build();
    }

    @GetMapping("/hello")
    public Map<String, Object> hello() {
        try {
            Map<String, Object> greeting = greeter.get().uri("/greeting").retrieve().body(JSON);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("answeredBy", greeting.get("instanceId"));
            body.put("zone", greeting.get("zone"));
            body.put("greeting", greeting);
            return body;
        } catch (RestClientException | IllegalStateException e) {
            // No silent fallback, as in the sample: the caller must see that no greeter answered.
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "No greeter answered: " + e.getMessage(), e);
        }
    }

    /**
     * The load-balanced builder, built with Boot's configurer as the sample's, so
     * {@code spring.http.clients.*} (1 s timeouts) applies. Unlike the sample's, it cannot be the only
     * {@code RestClient.Builder}: the Eureka client takes the context's builder for its own calls to
     * the server, and through the load balancer those look for a service named "127.0.0.1" and the
     * frontend never registers nor fetches (spring-cloud-netflix#4591, open). So a plain builder is
     * primary: exactly the {@code RestClient.builder()} Eureka falls back to when there is none.
     */
    @Profile("frontend")
    @Configuration(proxyBeanMethods = false)
    static class Clients {
        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedRestClientBuilder(RestClientBuilderConfigurer configurer) {
            return configurer.configure(RestClient.builder());
        }

        @Bean
        @Primary
        RestClient.Builder eurekaRestClientBuilder() {
            return RestClient.builder();
        }
    }
}
