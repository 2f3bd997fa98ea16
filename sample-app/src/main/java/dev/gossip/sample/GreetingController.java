package dev.gossip.sample;

import dev.gossip.spring.serviceregistry.GossipRegistration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The greeter role: says hello with its instance id, zone and how many greetings it served. */
@RestController
@Profile("greeter")
public class GreetingController {

    private final GossipRegistration registration;
    private final AtomicLong served = new AtomicLong();

    public GreetingController(GossipRegistration registration) {
        this.registration = registration;
    }

    @GetMapping("/greeting")
    public Map<String, Object> greeting() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Hello from " + registration.getInstanceId());
        body.put("instanceId", registration.getInstanceId());
        body.put("zone", registration.getZone());
        body.put("count", served.incrementAndGet());
        return body;
    }
}
