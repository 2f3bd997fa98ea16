package dev.gossip.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;

/**
 * {@code POST /actuator/serviceregistry} with an unknown status answers 400 with the reason
 * (which statuses are valid) instead of a bare 500: Spring Cloud's endpoint lets the registry's
 * IllegalArgumentException escape, and Boot's error page hides its message by default.
 */
@EndpointWebExtension(endpoint = ServiceRegistryEndpoint.class)
public class GossipServiceRegistryEndpointWebExtension {

    private final ServiceRegistryEndpoint endpoint;

    public GossipServiceRegistryEndpointWebExtension(ServiceRegistryEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @WriteOperation
    public WebEndpointResponse<?> setStatus(String status) {
        try {
            return endpoint.setStatus(status);
        } catch (IllegalArgumentException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
            body.put("error", "Bad Request");
            body.put("message", e.getMessage());
            return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }
}
