package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.support.GossipStartupException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Makes the gossiped status follow Boot's health, with hysteresis: DOWN only after several DOWN
 * checks in a row, UP again only after as many UP checks, so one slow check does not make the
 * instance flap in every load balancer of the cluster.
 */
public class HealthStatusFollower implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HealthStatusFollower.class);

    private final GossipServiceRegistry registry;
    private final Supplier<String> healthStatus;
    private final int hysteresis;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private int downStreak;
    private int upStreak;

    /** @param healthStatus Boot's aggregate health status code, e.g. "UP" or "DOWN" */
    public HealthStatusFollower(GossipServiceRegistry registry, Supplier<String> healthStatus, int hysteresis,
                                Duration interval) {
        this.registry = registry;
        this.healthStatus = healthStatus;
        this.hysteresis = Math.max(1, hysteresis);
        this.interval = interval;
    }

    /**
     * Follows the status of {@code spring.cloud.gossip.discovery.health-group}.
     *
     * @param groups      the names of the health groups the application has, null when unknown
     * @param groupStatus the status code of a group, null when it has none
     * @throws GossipStartupException naming the property when the group does not exist
     */
    public static HealthStatusFollower forGroup(GossipServiceRegistry registry, GossipDiscoveryProperties d,
                                                Set<String> groups, Function<String, String> groupStatus) {
        String group = d.getHealthGroup().trim();
        if (groups != null && !groups.contains(group)) {
            throw new GossipStartupException(GossipDiscoveryProperties.PREFIX + ".health-group",
                    "Health group '" + group + "' does not exist (groups: " + groups + ")",
                    "Set spring.cloud.gossip.discovery.health-group to one of " + groups + ", define"
                            + " management.endpoint.health.group." + group + ".include, or enable the probes"
                            + " groups with management.endpoint.health.probes.enabled=true", null);
        }
        return new HealthStatusFollower(registry, () -> {
            String status = groupStatus.apply(group);
            return status == null ? "UNKNOWN" : status;
        }, d.getHealthHysteresis(), d.getHealthCheckInterval());
    }

    @Override
    public void afterPropertiesSet() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gossip-health-follower");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One health check; package-visible for tests. */
    void check() {
        String status;
        try {
            status = healthStatus.get();
        } catch (RuntimeException e) {
            log.debug("Health check failed: {}", e.toString());
            status = "DOWN";
        }
        if ("DOWN".equals(status) || "OUT_OF_SERVICE".equals(status)) {
            upStreak = 0;
            if (++downStreak >= hysteresis) {
                registry.setHealthDown(true);
            }
        } else if ("UP".equals(status)) {
            downStreak = 0;
            if (++upStreak >= hysteresis) {
                registry.setHealthDown(false);
            }
        }
    }

    @Override
    public void destroy() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
