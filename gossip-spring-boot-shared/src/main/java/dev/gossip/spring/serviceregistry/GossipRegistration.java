package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceTags;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application as a service instance. The HTTP and management ports are filled in when the
 * web servers have started; secure, zone and metadata can change on a refresh. The metadata
 * becomes gossip tags when registered.
 */
public class GossipRegistration implements Registration {

    private final String serviceId;
    private final String instanceId;
    private final String host;
    private final ManagementMetadata management;
    private volatile int port;
    private volatile boolean secure;
    private volatile String zone;
    private volatile Map<String, String> metadata;
    private volatile Integer managementPort;

    public GossipRegistration(String serviceId, String instanceId, String host, int port, boolean secure,
                              String zone, Map<String, String> metadata) {
        this(serviceId, instanceId, host, port, secure, zone, metadata, ManagementMetadata.NONE);
    }

    /** @param management the Spring Boot Admin keys derived from the actuator configuration */
    public GossipRegistration(String serviceId, String instanceId, String host, int port, boolean secure,
                              String zone, Map<String, String> metadata, ManagementMetadata management) {
        this.serviceId = serviceId;
        this.instanceId = instanceId;
        this.host = host;
        this.port = port;
        this.management = management;
        update(secure, zone, metadata);
    }

    /** New values after a configuration refresh; {@code metadata} must not carry reserved keys. */
    public void update(boolean secure, String zone, Map<String, String> metadata) {
        ServiceMetadata.requireNoReservedKeys(metadata, "spring.cloud.gossip.discovery.metadata");
        this.secure = secure;
        this.zone = zone == null || zone.isBlank() ? null : zone;
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

    /** The management server's port once it has started on a port of its own; else null. */
    public Integer getManagementPort() {
        return managementPort;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public URI getUri() {
        return GossipServiceInstance.uri(this);
    }

    public String getZone() {
        return zone;
    }

    /** The user's metadata alone (spring.cloud.gossip.discovery.metadata). */
    public Map<String, String> getUserMetadata() {
        return metadata;
    }

    /**
     * The Spring Boot Admin keys, then the user's metadata (which may override them), then the
     * keys only the starter sets; without the status, which the registry owns.
     */
    @Override
    public Map<String, String> getMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        Integer mp = managementPort;
        management.putInto(m, mp != null && mp != port ? mp : null);
        m.putAll(metadata);
        m.put(ServiceTags.SERVICE, serviceId);
        m.put(ServiceTags.INSTANCE, instanceId);
        m.put(ServiceTags.HOST, host);
        m.put(ServiceTags.PORT, Integer.toString(port));
        if (secure) {
            m.put(ServiceTags.SECURE, "true");
        }
        if (zone != null) {
            m.put(ServiceTags.ZONE, zone);
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
