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

    /**
     * Whether this instance serves HTTPS. Defaults to whether the web server has SSL configured
     * (server.ssl with a key store, certificate or bundle, and not server.ssl.enabled=false).
     */
    private Boolean secure;

    /**
     * Zone of this instance; load balancers in the same zone prefer it. None by default: no zone
     * preference.
     */
    private String zone;

    /**
     * Extra metadata, gossiped as tags (counts toward the 512-byte tag limit). Empty by default.
     * Keys the starter owns (service, instance, host, port, secure, status, zone) are refused;
     * management.* and health.path entries override the computed Spring Boot Admin values.
     */
    private Map<String, String> metadata = new LinkedHashMap<>();

    /** Order of this DiscoveryClient among others. */
    private int order = 0;

    /**
     * Statuses whose instances getInstances returns. Default: only UP. getServices lists every
     * service with an alive instance, whatever its status.
     */
    private Set<String> includeStatuses = Set.of("UP");

    /**
     * Health group whose status this instance's status follows (e.g. readiness, with
     * management.endpoint.health.probes.enabled=true): DOWN or OUT_OF_SERVICE there makes the
     * instance DOWN. Unset by default: one shared dependency going DOWN must not take every
     * instance of a service out of discovery at once.
     */
    private String healthGroup;

    /** Follow the health group: DOWN after this many consecutive DOWN checks, UP again after as many UP checks. */
    private int healthHysteresis = 2;

    /** How often the health group is checked (0 disables following health). */
    private Duration healthCheckInterval = Duration.ofSeconds(5);

    /**
     * HeartbeatEvent coalescing: membership changes within this delay become one event, so
     * listeners (Gateway route refresh, Config client) rebuild once per burst. Suspicion alone
     * never fires one.
     */
    private Duration heartbeatDelay = Duration.ofMillis(100);

    /** Load balancing over gossip instances. */
    private final LoadBalancer loadBalancer = new LoadBalancer();

    /** How Spring Cloud LoadBalancer uses gossip. */
    public static class LoadBalancer {
        /**
         * Whether gossip's push-based instance list is the base of every load-balancer client,
         * decorated by the spring.cloud.loadbalancer.configurations preset. When false, Spring
         * Cloud's own chain (DiscoveryClient plus its cache) is used.
         */
        private boolean enabled = true;

        /** Skip instances whose node is currently suspected by the failure detector while others exist. */
        private boolean avoidSuspects = true;

        /**
         * Quarantine instances this application's calls failed to reach (refused, unreachable,
         * connect timeout; or an I/O failure while their node doesn't answer us) and probe their
         * node at once, out of turn, so the whole cluster suspects a dead one within a gossip
         * round. Also catches what the failure detector can't: a node alive for the others but cut
         * off from us.
         */
        private boolean avoidUnreachable = true;

        /**
         * The longest an instance stays quarantined (out of this application's load balancers)
         * after a call to it failed: the whole time when its node answers our probe while its
         * application refused the connection; until then, it comes back earlier when its node
         * answers us again or refutes a suspicion.
         */
        private Duration quarantine = Duration.ofSeconds(30);

        /**
         * The largest share of a service's instances this application quarantines at once (at
         * least one, never all), so that failures of our own (every call failing) cannot take a
         * whole service away.
         */
        private double maxQuarantinedShare = 0.5;

        /**
         * Send a call whose connection could not be made (refused, unreachable, connect timeout)
         * once more, to another instance, whatever its HTTP method: nothing reached the server.
         * RestClient, RestTemplate, WebClient and OpenFeign (when it has no Retryer of its own).
         * Calls that failed after they were sent are never retried by this.
         */
        private boolean retryConnectFailures = true;

        /**
         * Choose among the nearest healthy instances, by the round-trip time estimated from the
         * gossip layer's Vivaldi coordinates (at random among those within twice the nearest
         * one's estimate plus 1 ms), instead of Spring Cloud's round robin over all of them.
         */
        private boolean preferNearest = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAvoidSuspects() {
            return avoidSuspects;
        }

        public void setAvoidSuspects(boolean avoidSuspects) {
            this.avoidSuspects = avoidSuspects;
        }

        public boolean isAvoidUnreachable() {
            return avoidUnreachable;
        }

        public void setAvoidUnreachable(boolean avoidUnreachable) {
            this.avoidUnreachable = avoidUnreachable;
        }

        public Duration getQuarantine() {
            return quarantine;
        }

        public void setQuarantine(Duration quarantine) {
            this.quarantine = quarantine;
        }

        public double getMaxQuarantinedShare() {
            return maxQuarantinedShare;
        }

        public void setMaxQuarantinedShare(double maxQuarantinedShare) {
            if (maxQuarantinedShare < 0 || maxQuarantinedShare > 1) {
                throw new IllegalArgumentException("spring.cloud.gossip.discovery.load-balancer.max-quarantined-share"
                        + " must be between 0 and 1 (a share of a service's instances), not " + maxQuarantinedShare);
            }
            this.maxQuarantinedShare = maxQuarantinedShare;
        }

        public boolean isRetryConnectFailures() {
            return retryConnectFailures;
        }

        public void setRetryConnectFailures(boolean retryConnectFailures) {
            this.retryConnectFailures = retryConnectFailures;
        }

        public boolean isPreferNearest() {
            return preferNearest;
        }

        public void setPreferNearest(boolean preferNearest) {
            this.preferNearest = preferNearest;
        }
    }

    public LoadBalancer getLoadBalancer() {
        return loadBalancer;
    }

    public String getHealthGroup() {
        return healthGroup;
    }

    public void setHealthGroup(String healthGroup) {
        this.healthGroup = healthGroup;
    }

    public Duration getHeartbeatDelay() {
        return heartbeatDelay;
    }

    public void setHeartbeatDelay(Duration heartbeatDelay) {
        this.heartbeatDelay = heartbeatDelay;
    }

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
