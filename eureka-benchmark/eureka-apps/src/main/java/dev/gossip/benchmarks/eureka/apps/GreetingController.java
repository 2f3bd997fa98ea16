package dev.gossip.benchmarks.eureka.apps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The greeter role, as in the sample app: says hello with its instance id (here Eureka's,
 * {@code host:greeter:port}), its zone and how many greetings it served.
 */
@RestController
@Profile("greeter")
public class GreetingController {

    private final Registration registration;
    private final AtomicLong served = new AtomicLong();

    public GreetingController(Registration registration) {
        this.registration = registration;
    }

    @GetMapping("/greeting")
    public Map<String, Object> greeting() {
        String instanceId = registration.getInstanceId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Hello from " + instanceId);
        body.put("instanceId", instanceId);
        body.put("zone", registration.getMetadata().get("zone"));
        body.put("count", served.incrementAndGet());
        return body;
    }
}
