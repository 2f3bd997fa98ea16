package dev.gossip.spring.serviceregistry;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/** Learns the HTTP (and management) port from the web server once it has started. */
public class WebServerPortListener implements ApplicationListener<WebServerInitializedEvent> {

    private final GossipRegistration registration;
    private final boolean portConfigured;

    public WebServerPortListener(GossipRegistration registration, boolean portConfigured) {
        this.registration = registration;
        this.portConfigured = portConfigured;
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
    }
}
