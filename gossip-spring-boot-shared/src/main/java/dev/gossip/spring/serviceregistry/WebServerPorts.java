package dev.gossip.spring.serviceregistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Learns the HTTP (and management) port from the web server once it has started, and again when
 * it starts after a {@code context.stop()}: a registered instance gossips the new port at once.
 * Each Boot line's {@code WebServerPortListener} hands its web-server event to {@link #started}.
 */
public final class WebServerPorts {

    private final GossipRegistration registration;
    private final boolean portConfigured;
    private final ObjectProvider<GossipServiceRegistry> registry;

    /** @param portConfigured spring.cloud.gossip.discovery.port is set: it wins over the server's port */
    public WebServerPorts(GossipRegistration registration, boolean portConfigured,
                          ObjectProvider<GossipServiceRegistry> registry) {
        this.registration = registration;
        this.portConfigured = portConfigured;
        this.registry = registry;
    }

    /** @param namespace the server's namespace: {@code management} for the management server, else null */
    public void started(String namespace, int port) {
        if ("management".equals(namespace)) {
            registration.setManagementPort(port);
        } else if (!portConfigured) {
            registration.setPort(port);
        }
        registry.ifAvailable(r -> {
            if (r.isRegistered()) {
                r.republish();
            }
        });
    }
}
