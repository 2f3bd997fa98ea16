package dev.gossip.sample;

import dev.gossip.spring.serviceregistry.GossipRegistration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Who this greeter is. While it registers with gossip discovery, its registration says (that is
 * what other services see); with discovery off (as in tests) there is no registration, so the
 * same properties the registration would have used say it.
 */
@Component
@Profile("greeter")
public class GreeterIdentity {

    private final ObjectProvider<GossipRegistration> registration;
    private final Environment env;

    public GreeterIdentity(ObjectProvider<GossipRegistration> registration, Environment env) {
        this.registration = registration;
        this.env = env;
    }

    public String instanceId() {
        GossipRegistration r = registration.getIfAvailable();
        if (r != null) {
            return r.getInstanceId();
        }
        return firstOf("spring.cloud.gossip.discovery.instance-id", "spring.cloud.gossip.node-name",
                "spring.application.name");
    }

    public String zone() {
        GossipRegistration r = registration.getIfAvailable();
        return r != null ? r.getZone() : env.getProperty("spring.cloud.gossip.discovery.zone");
    }

    private String firstOf(String... properties) {
        for (String p : properties) {
            String value = env.getProperty(p);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
