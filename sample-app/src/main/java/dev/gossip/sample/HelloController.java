package dev.gossip.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.server.ResponseStatusException;

/** The frontend role: calls {@code http://greeter/greeting} through the gossip load balancer. */
@RestController
@Profile("frontend")
public class HelloController {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    private final RestClient greeter;

    public HelloController(RestClient.Builder loadBalanced) {
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
            // No silent fallback: the caller must see that no greeter answered.
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "No greeter answered: " + e.getMessage(), e);
        }
    }

    /**
     * The load-balanced builder: {@code http://greeter} resolves through gossip discovery. Built
     * with Boot's configurer, so {@code spring.http.clients.*} (the connect timeout in
     * application.yml) applies: a greeter we can't reach fails fast, and is then avoided.
     */
    @Profile("frontend")
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Clients {
        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedRestClientBuilder(RestClientBuilderConfigurer configurer) {
            return configurer.configure(RestClient.builder());
        }
    }
}
