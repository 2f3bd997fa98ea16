package dev.gossip.spring.serviceregistry;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.cluster.Tags;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.support.GossipStartupException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Registers this application by gossiping its service tags. Status changes (UP,
 * OUT_OF_SERVICE, DOWN) are tag updates, gossiped at once: every peer's discovery index drops or
 * restores the instance within a gossip round or two.
 *
 * <p>The effective status combines the operator's choice ({@link #setStatus}) with Boot's health:
 * an operator's OUT_OF_SERVICE or DOWN always wins; otherwise a DOWN health makes it DOWN.
 */
public class GossipServiceRegistry implements ServiceRegistry<GossipRegistration> {

    private static final Logger log = LoggerFactory.getLogger(GossipServiceRegistry.class);
    private static final Set<String> STATUSES = Set.of(ServiceTags.UP, ServiceTags.OUT_OF_SERVICE, ServiceTags.DOWN);

    private final GossipNode node;
    private final Map<String, String> baseTags;
    private GossipRegistration registered;
    private String operatorStatus = ServiceTags.UP;
    private boolean healthDown;

    /** @param baseTags tags this node carries whether or not it is registered */
    public GossipServiceRegistry(GossipNode node, Map<String, String> baseTags) {
        this.node = node;
        this.baseTags = Map.copyOf(baseTags);
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
        node.setTags(baseTags);
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
        if (registered != null) {
            publish();
        }
        log.info("Status of {} set to {} (effective {})", registration != null ? registration
                : registered != null ? registered : node.name(), s, effectiveStatus());
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T getStatus(GossipRegistration registration) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", effectiveStatus());
        status.put("operatorStatus", operatorStatus);
        status.put("healthDown", healthDown);
        status.put("registered", registered != null);
        status.put("node", node.name());
        node.localMember().ifPresent(m -> {
            status.put("memberStatus", m.status().serfName());
            status.put("incarnation", m.incarnation());
        });
        return (T) status;
    }

    /** Boot's health says DOWN (true) or recovered (false). */
    public synchronized void setHealthDown(boolean down) {
        if (healthDown == down) {
            return;
        }
        healthDown = down;
        log.info("Health is {}: status of {} is now {}", down ? "DOWN" : "UP again", node.name(), effectiveStatus());
        if (registered != null) {
            publish();
        }
    }

    public synchronized String effectiveStatus() {
        if (!operatorStatus.equals(ServiceTags.UP)) {
            return operatorStatus;
        }
        return healthDown ? ServiceTags.DOWN : ServiceTags.UP;
    }

    public synchronized boolean isRegistered() {
        return registered != null;
    }

    private void publish() {
        node.setTags(tagsFor(registered, effectiveStatus()));
    }

    /** The tags this node gossips while {@code registration} is registered with {@code status}. */
    private Map<String, String> tagsFor(GossipRegistration registration, String status) {
        Map<String, String> tags = new LinkedHashMap<>(baseTags);
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

    /**
     * Fails now, at start-up, if registering could exceed Serf's 512-byte tag limit (with the
     * longest status and a 5-digit port), rather than when the application becomes ready.
     *
     * @throws GossipStartupException naming spring.cloud.gossip.discovery.metadata
     */
    public void checkTagSize(GossipRegistration registration) {
        Map<String, String> tags = tagsFor(registration, ServiceTags.OUT_OF_SERVICE);
        tags.put(ServiceTags.PORT, "65535");
        try {
            Tags.encode(tags);
        } catch (IllegalArgumentException e) {
            throw new GossipStartupException(GossipDiscoveryProperties.PREFIX + ".metadata",
                    "The tags of this service instance will not fit: " + e.getMessage(),
                    "Shorten spring.cloud.gossip.discovery.metadata or spring.cloud.gossip.tags: together with"
                            + " the service tags (" + String.join(", ", tags.keySet().stream()
                            .filter(ServiceTags::isReserved).toList()) + ") they must fit in 512 bytes", e);
        }
    }
}
