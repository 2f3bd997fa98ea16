package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.discovery.ServiceTags;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application as a service instance. The HTTP port is filled in when the web server has
 * started; the metadata becomes gossip tags when registered.
 */
public class GossipRegistration implements Registration {

    private final String serviceId;
    private final String instanceId;
    private final String host;
    private volatile int port;
    private final boolean secure;
    private final String zone;
    private final Map<String, String> metadata;
    private volatile Integer managementPort;

    public GossipRegistration(String serviceId, String instanceId, String host, int port, boolean secure,
                              String zone, Map<String, String> metadata) {
        this.serviceId = serviceId;
        this.instanceId = instanceId;
        this.host = host;
        this.port = port;
        this.secure = secure;
        this.zone = zone;
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public String getInstanceId() {
        return instanceId;
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setManagementPort(Integer managementPort) {
        this.managementPort = managementPort;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public URI getUri() {
        return ServiceInstance.createUri(this);
    }

    public String getZone() {
        return zone;
    }

    /** User metadata plus the reserved keys (without the status, which the registry owns). */
    @Override
    public Map<String, String> getMetadata() {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(ServiceTags.SERVICE, serviceId);
        m.put(ServiceTags.INSTANCE, instanceId);
        m.put(ServiceTags.HOST, host);
        m.put(ServiceTags.PORT, Integer.toString(port));
        if (secure) {
            m.put(ServiceTags.SECURE, "true");
        }
        if (zone != null && !zone.isBlank()) {
            m.put(ServiceTags.ZONE, zone);
        }
        if (managementPort != null && managementPort != port) {
            m.put(ServiceTags.MANAGEMENT_PORT, Integer.toString(managementPort));
        }
        return m;
    }

    @Override
    public String getScheme() {
        return secure ? "https" : "http";
    }

    @Override
    public String toString() {
        return "GossipRegistration[" + serviceId + "/" + instanceId + " " + host + ":" + port + "]";
    }
}
