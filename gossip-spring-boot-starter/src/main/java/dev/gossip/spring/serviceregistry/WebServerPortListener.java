package dev.gossip.spring.serviceregistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Learns the HTTP (and management) port from the web server once it has started, and again when
 * it starts after a {@code context.stop()}: a registered instance gossips the new port at once.
 */
public class WebServerPortListener implements ApplicationListener<WebServerInitializedEvent> {

    private final GossipRegistration registration;
    private final boolean portConfigured;
    private final ObjectProvider<GossipServiceRegistry> registry;

    public WebServerPortListener(GossipRegistration registration, boolean portConfigured,
                                 ObjectProvider<GossipServiceRegistry> registry) {
        this.registration = registration;
        this.portConfigured = portConfigured;
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        int port = event.getWebServer().getPort();
        WebServerApplicationContext context = event.getApplicationContext();
        if ("management".equals(context.getServerNamespace())) {
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
