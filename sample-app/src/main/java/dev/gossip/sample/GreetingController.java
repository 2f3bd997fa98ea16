package dev.gossip.sample;

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

    private final GreeterIdentity identity;
    private final AtomicLong served = new AtomicLong();

    public GreetingController(GreeterIdentity identity) {
        this.identity = identity;
    }

    @GetMapping("/greeting")
    public Map<String, Object> greeting() {
        String instanceId = identity.instanceId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Hello from " + instanceId);
        body.put("instanceId", instanceId);
        body.put("zone", identity.zone());
        body.put("count", served.incrementAndGet());
        return body;
    }
}
