package dev.gossip.testsupport;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /greeting}: the instance id as plain text, so a caller knows who served it. */
@RestController
public class GreetingController {

    @Value("${spring.cloud.gossip.discovery.instance-id:${spring.cloud.gossip.node-name}}")
    private String instanceId;

    @GetMapping("/greeting")
    public String greeting() {
        return instanceId;
    }

    /** The same answer to a POST: a method Spring Cloud's retry leaves alone by default. */
    @PostMapping("/greeting")
    public String greet() {
        return instanceId;
    }
}
