package dev.gossip.acceptance.openfeign;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;

/** The greeter service by name: Spring Cloud LoadBalancer picks the instance, from gossip. */
@FeignClient("greeter")
interface GreeterClient {

    /** The instance id of whoever served the call. */
    @GetMapping("/greeting")
    String greeting();
}
