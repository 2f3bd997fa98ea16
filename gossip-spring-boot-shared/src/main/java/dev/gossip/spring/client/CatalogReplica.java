package dev.gossip.spring.client;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.ServiceIndex;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A thin client's copy of a member's catalog (docs/catalog.md), kept in a {@link ServiceIndex}: each
 * catalog instance becomes the {@link Member} that advertises it, so discovery and the load
 * balancers work exactly as on a member (push, suspicion, zones). Fed by one watcher thread.
 */
final class CatalogReplica {

    /** Catalog data that does not describe an instance: the event is rejected whole. */
    static final class BadCatalogException extends IllegalArgumentException {
        BadCatalogException(String message) {
            super(message);
        }
    }

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    /** Member name → member, read by the quarantine from any thread. */
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final ServiceIndex index;
    /** Member name → lower-case service key it is listed under. */
    private final Map<String, String> serviceOf = new HashMap<>();
    private boolean synced;

    /** @param includeStatuses the statuses discovery clients return (spring.cloud.gossip.discovery.include-statuses) */
    CatalogReplica(Set<String> includeStatuses) {
        this.index = new ServiceIndex(this::members, includeStatuses); // a rebuild reads the replica
    }

    ServiceIndex index() {
        return index;
    }

    /** Whether a snapshot was applied since the replica was made. */
    boolean synced() {
        return synced;
    }

    Optional<Member> member(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** Every member now listed. */
    List<Member> members() {
        return List.copyOf(members.values());
    }

    /** A {@code snapshot} event: the services and their instances become exactly these. */
    void snapshot(Map<String, Object> event) {
        Object services = event.get("services");
        if (!(services instanceof Map<?, ?> byService)) {
            throw new BadCatalogException("a snapshot without services");
        }
        Map<String, Member> now = new LinkedHashMap<>();
        Map<String, String> nowServiceOf = new HashMap<>();
        byService.forEach((service, instances) -> {
            for (Member m : instances(String.valueOf(service), instances)) {
                now.put(m.name(), m);
                nowServiceOf.put(m.name(), key(String.valueOf(service)));
            }
        });
        List<Member> gone = new ArrayList<>();
        members.forEach((name, m) -> {
            if (!now.containsKey(name)) {
                gone.add(m);
            }
        });
        apply(gone, List.copyOf(now.values()));
        serviceOf.clear();
        serviceOf.putAll(nowServiceOf);
        synced = true;
    }

    /** A {@code service} event: that service's instances become exactly these (none: it is gone). */
    void service(Map<String, Object> event) {
        if (!(event.get("service") instanceof String service)) {
            throw new BadCatalogException("a service event without a service name");
        }
        List<Member> listed = instances(service, event.get("instances"));
        String key = key(service);
        Map<String, Member> now = new HashMap<>();
        listed.forEach(m -> now.put(m.name(), m));
        List<Member> gone = new ArrayList<>();
        serviceOf.forEach((name, k) -> {
            // a member that moved to another service is that service's to list, whatever order the events came in
            if (k.equals(key) && !now.containsKey(name)) {
                gone.add(members.get(name));
            }
        });
        apply(gone, listed);
        gone.forEach(m -> serviceOf.remove(m.name()));
        listed.forEach(m -> serviceOf.put(m.name(), key));
    }

    private void apply(List<Member> gone, List<Member> listed) {
        gone.forEach(m -> members.remove(m.name()));
        listed.forEach(m -> members.put(m.name(), m));
        if (!gone.isEmpty()) {
            index.onEvent(new GossipEvent.MemberEvent(GossipEvent.MemberEventType.REAP, gone));
        }
        if (!listed.isEmpty()) {
            index.onEvent(new GossipEvent.MemberEvent(GossipEvent.MemberEventType.UPDATE, listed));
        }
    }

    private static String key(String service) {
        return service.toLowerCase(Locale.ROOT);
    }

    /** The members behind a JSON list of instances of {@code service}. */
    private static List<Member> instances(String service, Object json) {
        if (!(json instanceof List<?> list)) {
            throw new BadCatalogException("the instances of " + service + " are not a list");
        }
        List<Member> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> instance)) {
                throw new BadCatalogException("an instance of " + service + " is not an object");
            }
            out.add(member(service, instance));
        }
        return out;
    }

    private static Member member(String service, Map<?, ?> instance) {
        if (!(instance.get("member") instanceof String name) || name.isEmpty()) {
            throw new BadCatalogException("an instance of " + service + " without a member name");
        }
        if (!(instance.get("metadata") instanceof Map<?, ?> metadata)) {
            throw new BadCatalogException("instance " + name + " has no metadata");
        }
        Map<String, String> tags = new HashMap<>();
        metadata.forEach((k, v) -> {
            if (k instanceof String key && v instanceof String value) {
                tags.put(key, value);
            }
        });
        if (!service.equalsIgnoreCase(tags.get("service"))) {
            throw new BadCatalogException("instance " + name + " is listed under " + service + " but advertises "
                    + tags.get("service"));
        }
        boolean suspect = Boolean.TRUE.equals(instance.get("suspect"));
        return new Member(name, address(name, instance.get("address")), 0, tags, MemberStatus.ALIVE, suspect,
                0, 0, 0, 0, 0, 0, 0);
    }

    private static InetAddress address(String member, Object address) {
        // Only literals reach getByName, which then looks nothing up: a valid dotted quad, or a string
        // with a colon, which it parses as IPv6 or refuses.
        if (!(address instanceof String ip) || !(IPV4.matcher(ip).matches() || ip.indexOf(':') >= 0)
                || ip.length() > 64) {
            throw new BadCatalogException("member " + member + " has no IP address");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new BadCatalogException("member " + member + " has a bad IP address " + ip);
        }
    }
}
