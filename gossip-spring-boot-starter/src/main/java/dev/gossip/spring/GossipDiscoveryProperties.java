package dev.gossip.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How this application appears to, and finds, other services over gossip. */
@ConfigurationProperties(GossipDiscoveryProperties.PREFIX)
public class GossipDiscoveryProperties {

    public static final String PREFIX = "spring.cloud.gossip.discovery";

    /** Whether the gossip DiscoveryClient and load-balancer supplier are enabled. */
    private boolean enabled = true;

    /** Whether this application registers itself (advertises its service); false = client only. */
    private boolean register = true;

    /** Service id to register under. Defaults to spring.application.name. */
    private String serviceId;

    /** Instance id, unique per instance. Defaults to the gossip node name. */
    private String instanceId;

    /** Host name to advertise for HTTP calls. Defaults to the gossip advertise address. */
    private String hostname;

    /** Advertise the IP address rather than the host name. */
    private boolean preferIpAddress = true;

    /** HTTP port to advertise. Defaults to the web server's port once it is known. */
    private Integer port;

    /** Whether this instance serves HTTPS. Defaults to server.ssl.enabled. */
    private Boolean secure;

    /**
     * Zone of this instance; load balancers in the same zone prefer it. None by default: no zone
     * preference.
     */
    private String zone;

    /** Extra metadata, gossiped as tags (counts toward the 512-byte tag limit). Empty by default. */
    private Map<String, String> metadata = new LinkedHashMap<>();

    /** Order of this DiscoveryClient among others. */
    private int order = 0;

    /** Statuses whose instances getInstances returns. Default: only UP. */
    private Set<String> includeStatuses = Set.of("UP");

    /** Follow Boot's health: DOWN after this many consecutive DOWN checks, UP again after as many UP checks. */
    private int healthHysteresis = 2;

    /** How often Boot's health is checked for the status tag (0 disables following health). */
    private Duration healthCheckInterval = Duration.ofSeconds(5);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isRegister() {
        return register;
    }

    public void setRegister(boolean register) {
        this.register = register;
    }

    public String getServiceId() {
        return serviceId;
    }

    public void setServiceId(String serviceId) {
        this.serviceId = serviceId;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public boolean isPreferIpAddress() {
        return preferIpAddress;
    }

    public void setPreferIpAddress(boolean preferIpAddress) {
        this.preferIpAddress = preferIpAddress;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Boolean getSecure() {
        return secure;
    }

    public void setSecure(Boolean secure) {
        this.secure = secure;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    public int getOrder() {
        return order;
    }

    public void setOrder(int order) {
        this.order = order;
    }

    public Set<String> getIncludeStatuses() {
        return includeStatuses;
    }

    public void setIncludeStatuses(Set<String> includeStatuses) {
        this.includeStatuses = includeStatuses;
    }

    public int getHealthHysteresis() {
        return healthHysteresis;
    }

    public void setHealthHysteresis(int healthHysteresis) {
        this.healthHysteresis = healthHysteresis;
    }

    public Duration getHealthCheckInterval() {
        return healthCheckInterval;
    }

    public void setHealthCheckInterval(Duration healthCheckInterval) {
        this.healthCheckInterval = healthCheckInterval;
    }
}
