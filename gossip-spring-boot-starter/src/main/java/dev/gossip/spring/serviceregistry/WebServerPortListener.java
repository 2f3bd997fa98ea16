package dev.gossip.spring.serviceregistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/** The web server's start events to {@link WebServerPorts}: the registration follows the server's ports. */
public class WebServerPortListener implements ApplicationListener<WebServerInitializedEvent> {

    private final WebServerPorts ports;

    public WebServerPortListener(GossipRegistration registration, boolean portConfigured,
                                 ObjectProvider<GossipServiceRegistry> registry) {
        this.ports = new WebServerPorts(registration, portConfigured, registry);
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        ports.started(event.getApplicationContext().getServerNamespace(), event.getWebServer().getPort());
    }
}
