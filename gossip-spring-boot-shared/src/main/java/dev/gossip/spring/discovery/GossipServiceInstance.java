package dev.gossip.spring.discovery;

import dev.gossip.core.Member;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;

/** A {@link ServiceInstance} read from a gossip member's tags; immutable, URI computed once. */
public final class GossipServiceInstance implements ServiceInstance {

    private final String serviceId;
    private final String instanceId;
    private final String host;
    private final int port;
    private final boolean secure;
    private final Map<String, String> metadata;
    private final URI uri;
    private final String memberName;
    private final String memberAddress;
    private final String status;
    private final boolean suspect;

    GossipServiceInstance(String serviceId, String instanceId, String host, int port, boolean secure,
                          Map<String, String> metadata, String memberName, String memberAddress, String status,
                          boolean suspect) {
        this.serviceId = serviceId;
        this.instanceId = instanceId;
        this.host = host;
        this.port = port;
        this.secure = secure;
        this.metadata = Map.copyOf(metadata);
        this.memberName = memberName;
        this.memberAddress = memberAddress;
        this.status = status;
        this.suspect = suspect;
        this.uri = uri(this);
    }

    /**
     * {@code scheme://host:port} of an instance, as Spring Cloud builds it (https when secure; port 443
     * or 80 when none is set). Here rather than Spring Cloud's own helper, which moved between commons
     * 4.3 and 5.0, so that the class works on every Boot line.
     */
    public static URI uri(ServiceInstance instance) {
        String scheme = instance.isSecure() ? "https" : "http";
        int port = instance.getPort() > 0 ? instance.getPort() : instance.isSecure() ? 443 : 80;
        return URI.create(String.format("%s://%s:%s", scheme, instance.getHost(), port));
    }

    /** Null when the member does not advertise a service with a port. */
    static GossipServiceInstance from(Member m) {
        Map<String, String> tags = m.tags();
        String service = tags.get(ServiceTags.SERVICE);
        String port = tags.get(ServiceTags.PORT);
        if (service == null || service.isBlank() || port == null) {
            return null;
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return null;
        }
        String host = tags.getOrDefault(ServiceTags.HOST, m.address().getHostAddress());
        return new GossipServiceInstance(service, tags.getOrDefault(ServiceTags.INSTANCE, m.name()), host, p,
                "true".equalsIgnoreCase(tags.get(ServiceTags.SECURE)), tags, m.name(), m.address().getHostAddress(),
                tags.getOrDefault(ServiceTags.STATUS, ServiceTags.UP), m.suspect());
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

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    @Override
    public String getScheme() {
        return secure ? "https" : "http";
    }

    /** The gossip node that advertises this instance. */
    public String getMemberName() {
        return memberName;
    }

    /** The IP address of that node's gossip endpoint (the HTTP host may differ: {@code host} tag). */
    public String getMemberAddress() {
        return memberAddress;
    }

    /** UP, OUT_OF_SERVICE or DOWN, from the status tag. */
    public String getStatus() {
        return status;
    }

    /** The failure detector currently suspects this instance's node. */
    public boolean isSuspect() {
        return suspect;
    }

    public String getZone() {
        return metadata.get(ServiceTags.ZONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GossipServiceInstance other && suspect == other.suspect && sameIgnoringSuspicion(other);
    }

    /** Same instance as a discovery client sees it; only the failure detector's suspicion may differ. */
    boolean sameIgnoringSuspicion(GossipServiceInstance other) {
        return port == other.port && secure == other.secure && serviceId.equals(other.serviceId)
                && instanceId.equals(other.instanceId) && host.equals(other.host)
                && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceId, instanceId, host, port);
    }

    @Override
    public String toString() {
        return serviceId + "/" + instanceId + " " + uri + " " + status + (suspect ? " (suspect)" : "");
    }
}
