package dev.gossip.spring.serviceregistry;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.cluster.Tags;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.support.GossipStartupException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Registers this application by gossiping its service tags. Status changes (UP,
 * OUT_OF_SERVICE, DOWN) are tag updates, gossiped at once: every peer's discovery index drops or
 * restores the instance within a gossip round or two.
 *
 * <p>The effective status combines several inputs, first non-UP wins: the operator's choice
 * ({@link #setStatus}), the application stopping ({@link #setStopping}) or paused
 * ({@link #setPaused}), Boot's readiness
 * refusing traffic ({@link #setAcceptingTraffic}), then the followed health group
 * ({@link #setHealthDown}). Each input changes only its own flag, so an operator's
 * OUT_OF_SERVICE survives a readiness flip and a restart.
 */
public class GossipServiceRegistry implements ServiceRegistry<GossipRegistration> {

    private static final Logger log = LoggerFactory.getLogger(GossipServiceRegistry.class);
    private static final Set<String> STATUSES = Set.of(ServiceTags.UP, ServiceTags.OUT_OF_SERVICE, ServiceTags.DOWN);

    private final GossipNode node;
    private final Supplier<Map<String, String>> baseTags;
    private GossipRegistration registered;
    private String operatorStatus = ServiceTags.UP;
    private boolean stopping;
    private boolean paused;
    private boolean refusingTraffic;
    private boolean healthDown;
    private List<OptionalTags> optionalTags = List.of();

    /** Tags a feature adds to a registered instance's when they fit in the tag limit, else leaves out. */
    @FunctionalInterface
    public interface OptionalTags {
        /** Read at each publish; empty while the feature has nothing to advertise yet. */
        Map<String, String> tags(GossipRegistration registration);
    }

    /** @param baseTags tags this node carries whether or not it is registered (read at each publish) */
    public GossipServiceRegistry(GossipNode node, Supplier<Map<String, String>> baseTags) {
        this.node = node;
        this.baseTags = baseTags;
    }

    public GossipServiceRegistry(GossipNode node, Map<String, String> baseTags) {
        this(node, () -> baseTags);
    }

    @Override
    public synchronized void register(GossipRegistration registration) {
        registered = registration;
        publish();
        log.info("Registered {} with status {}", registration, effectiveStatus());
    }

    @Override
    public synchronized void deregister(GossipRegistration registration) {
        if (registered == null) {
            return;
        }
        registered = null;
        publish();
        log.info("Deregistered {}", registration);
    }

    @Override
    public void close() {
    }

    /**
     * Sets the operator status: UP, OUT_OF_SERVICE or DOWN (any case).
     *
     * @throws IllegalArgumentException for any other value
     */
    @Override
    public synchronized void setStatus(GossipRegistration registration, String status) {
        String s = status == null ? "" : status.trim().toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(s)) {
            throw new IllegalArgumentException("Unknown status '" + status
                    + "': use UP, OUT_OF_SERVICE or DOWN");
        }
        operatorStatus = s;
        publishIfRegistered();
        log.info("Status of {} set to {} (effective {})", registration != null ? registration
                : registered != null ? registered : node.name(), s, effectiveStatus());
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T getStatus(GossipRegistration registration) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", effectiveStatus());
        status.put("operatorStatus", operatorStatus);
        status.put("stopping", stopping);
        status.put("paused", paused);
        status.put("acceptingTraffic", !refusingTraffic);
        status.put("healthDown", healthDown);
        status.put("registered", registered != null);
        status.put("node", node.name());
        node.localMember().ifPresent(m -> {
            status.put("memberStatus", m.status().serfName());
            status.put("incarnation", m.incarnation());
        });
        return (T) status;
    }

    /** The followed health group says DOWN (true) or recovered (false). */
    public synchronized void setHealthDown(boolean down) {
        if (healthDown != down) {
            healthDown = down;
            log.info("Health is {}: status of {} is now {}", down ? "DOWN" : "UP again", node.name(), effectiveStatus());
            publishIfRegistered();
        }
    }

    /** Boot's readiness: REFUSING_TRAFFIC makes the instance OUT_OF_SERVICE until it accepts again. */
    public synchronized void setAcceptingTraffic(boolean accepting) {
        if (refusingTraffic == accepting) {
            refusingTraffic = !accepting;
            publishIfRegistered();
        }
    }

    /** {@code /actuator/pause} (OUT_OF_SERVICE) and {@code /actuator/resume}. */
    public synchronized void setPaused(boolean paused) {
        if (this.paused != paused) {
            this.paused = paused;
            publishIfRegistered();
        }
    }

    /** The application is stopping (OUT_OF_SERVICE while it drains) or has started again. */
    public synchronized void setStopping(boolean stopping) {
        if (this.stopping != stopping) {
            this.stopping = stopping;
            publishIfRegistered();
        }
    }

    public synchronized String effectiveStatus() {
        if (!operatorStatus.equals(ServiceTags.UP)) {
            return operatorStatus;
        }
        if (stopping || paused || refusingTraffic) {
            return ServiceTags.OUT_OF_SERVICE;
        }
        return healthDown ? ServiceTags.DOWN : ServiceTags.UP;
    }

    /** Sets the optional tags' sources (at start-up, before registering). */
    public synchronized void setOptionalTags(List<OptionalTags> optionalTags) {
        this.optionalTags = List.copyOf(optionalTags);
    }

    public synchronized boolean isRegistered() {
        return registered != null;
    }

    /** Gossips the tags again: after a refresh, or when the web server's port changed. */
    public synchronized void republish() {
        publish();
    }

    private void publishIfRegistered() {
        if (registered != null) {
            publish();
        }
    }

    private void publish() {
        if (!node.isRunning()) {
            return; // a stopped node takes its latest tags along when it starts again
        }
        try {
            node.setTags(registered == null ? baseTags.get() : withOptionalTags(tagsFor(registered, effectiveStatus())));
        } catch (IllegalArgumentException e) {
            // only a refresh can get here (start-up checks the size): keep gossiping the last tags
            log.error("Tags of {} not updated: {}. Shorten spring.cloud.gossip.tags or"
                    + " spring.cloud.gossip.discovery.metadata", node.name(), e.getMessage());
        }
    }

    /** The tags this node gossips while {@code registration} is registered with {@code status}. */
    private Map<String, String> tagsFor(GossipRegistration registration, String status) {
        Map<String, String> tags = new LinkedHashMap<>(baseTags.get());
        tags.putAll(registration.getMetadata());
        tags.put(ServiceTags.STATUS, status);
        // Drop the host tag when it is the gossip address anyway: tags are limited to 512 bytes.
        node.localMember().map(Member::address).ifPresent(a -> {
            if (a.getHostAddress().equals(tags.get(ServiceTags.HOST))) {
                tags.remove(ServiceTags.HOST);
            }
        });
        return tags;
    }

    /** {@code tags} plus each optional tag that still fits in Serf's limit (which start-up checked without them). */
    private Map<String, String> withOptionalTags(Map<String, String> tags) {
        for (OptionalTags source : optionalTags) {
            source.tags(registered).forEach((key, value) -> {
                Map<String, String> more = new LinkedHashMap<>(tags);
                more.put(key, value);
                try {
                    Tags.encode(more);
                    tags.put(key, value);
                } catch (IllegalArgumentException e) {
                    log.warn("Tag {} of {} left out: with it the tags would not fit ({})", key, node.name(), e.getMessage());
                }
            });
        }
        return tags;
    }

    /**
     * Fails now, at start-up, if registering could exceed Serf's 512-byte tag limit (with the
     * longest status and 5-digit ports), rather than when the application becomes ready.
     *
     * @throws GossipStartupException naming spring.cloud.gossip.discovery.metadata
     */
    public void checkTagSize(GossipRegistration registration) {
        Map<String, String> tags = tagsFor(registration, ServiceTags.OUT_OF_SERVICE);
        tags.put(ServiceTags.PORT, "65535");
        if (tags.containsKey(ServiceTags.MANAGEMENT_CONTEXT_PATH)) {
            tags.putIfAbsent(ServiceTags.MANAGEMENT_PORT, "65535");
        }
        try {
            Tags.encode(tags);
        } catch (IllegalArgumentException e) {
            throw new GossipStartupException(GossipDiscoveryProperties.PREFIX + ".metadata",
                    "The tags of this service instance will not fit: " + e.getMessage(),
                    "Shorten spring.cloud.gossip.discovery.metadata or spring.cloud.gossip.tags: together with"
                            + " the service tags (" + String.join(", ", tags.keySet().stream()
                            .filter(k -> ServiceTags.isReserved(k) || k.startsWith("management.") || k.equals(ServiceTags.HEALTH_PATH))
                            .toList()) + ") they must fit in 512 bytes", e);
        }
    }
}
