package dev.gossip.benchmarks.eureka.apps;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample app's two roles on Eureka discovery, chosen by Spring profile as there:
 * {@code greeter} answers greetings, {@code frontend} calls a greeter through the load balancer.
 */
@SpringBootApplication
public class EurekaSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(EurekaSampleApplication.class, args);
    }
}
