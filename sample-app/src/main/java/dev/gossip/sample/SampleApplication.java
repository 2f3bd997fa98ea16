package dev.gossip.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, two roles chosen by Spring profile: {@code greeter} answers greetings,
 * {@code frontend} calls a greeter through the load balancer. Peers are found by gossip.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
