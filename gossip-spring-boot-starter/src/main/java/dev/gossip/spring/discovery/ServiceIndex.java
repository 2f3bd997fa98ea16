package dev.gossip.spring.discovery;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipListener;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Service id → instances, rebuilt from the gossip member list on every membership change and
 * published as an immutable snapshot. A lookup is one map read: no lock, no copy, no network.
 * Load balancers subscribe per service and get every new list pushed.
 */
public final class ServiceIndex implements GossipListener {

    /**
     * One consistent view: instances by lower-case service id (with the included statuses), the
     * UP ones for load balancing (the same map when only UP is included), and the service names.
     */
    private record Snapshot(long version, Map<String, List<ServiceInstance>> byService,
                            Map<String, List<ServiceInstance>> upByService, List<String> services) {}

    private final Supplier<List<Member>> members;
    private volatile Set<String> includeStatuses;
    private static final Set<String> UP_ONLY = Set.of(ServiceTags.UP);
    private volatile Snapshot snapshot = new Snapshot(0, Map.of(), Map.of(), List.of());
    private final Map<String, Sinks.Many<List<ServiceInstance>>> sinks = new ConcurrentHashMap<>();
    private final List<LongConsumer> changeListeners = new CopyOnWriteArrayList<>();
    private long version;

    /**
     * @param includeStatuses status tags whose instances are returned (any case, e.g. UP)
     */
    public ServiceIndex(GossipNode node, Set<String> includeStatuses) {
        this(node::members, includeStatuses, false);
        node.addListener(this); // before the first read, so no membership change is missed
        rebuild();
    }

    /**
     * An index over any member list, without a node: for tests and benchmarks. It reads
     * {@code members} now and on every {@link #rebuild()}; nothing calls that for you.
     *
     * @param includeStatuses status tags whose instances are returned (any case, e.g. UP)
     */
    public ServiceIndex(Supplier<List<Member>> members, Set<String> includeStatuses) {
        this(members, includeStatuses, true);
    }

    private ServiceIndex(Supplier<List<Member>> members, Set<String> includeStatuses, boolean build) {
        this.members = members;
        this.includeStatuses = upperCase(includeStatuses);
        if (build) {
            rebuild();
        }
    }

    private static Set<String> upperCase(Set<String> statuses) {
        Set<String> upper = new HashSet<>();
        statuses.forEach(s -> upper.add(s.toUpperCase(Locale.ROOT)));
        return Set.copyOf(upper);
    }

    /** Changes which statuses {@link #instances} returns (on a configuration refresh) and rebuilds. */
    public void setIncludeStatuses(Set<String> statuses) {
        Set<String> upper = upperCase(statuses);
        if (!upper.equals(includeStatuses)) {
            includeStatuses = upper;
            rebuild();
        }
    }

    @Override
    public void onEvent(GossipEvent event) {
        if (event instanceof GossipEvent.MemberEvent) {
            rebuild();
        }
    }

    /**
     * Instances of {@code serviceId} (any case); an empty list when none. Allocates nothing when
     * the id is lower case (then toLowerCase returns it as is); otherwise only its lower-case copy.
     */
    public List<ServiceInstance> instances(String serviceId) {
        List<ServiceInstance> list = snapshot.byService().get(serviceId.toLowerCase(Locale.ROOT));
        return list != null ? list : List.of();
    }

    /**
     * Service ids with at least one alive instance, whatever its status: a service whose
     * instances are all DOWN or OUT_OF_SERVICE still exists (a gateway answers 503, not 404).
     */
    public List<String> services() {
        return snapshot.services();
    }

    /** Rises with every rebuild that changed something. */
    public long version() {
        return snapshot.version();
    }

    /**
     * The UP instances of {@code serviceId}, then every new list as membership changes: what a load
     * balancer may choose from, whatever {@code include-statuses} lets discovery clients see (a
     * gateway lists an OUT_OF_SERVICE instance to keep its route, but must not send it traffic).
     */
    public Flux<List<ServiceInstance>> watch(String serviceId) {
        String key = serviceId.toLowerCase(Locale.ROOT);
        synchronized (this) {
            return sinks.computeIfAbsent(key, k -> {
                Sinks.Many<List<ServiceInstance>> sink = Sinks.many().replay().latest();
                sink.tryEmitNext(snapshot.upByService().getOrDefault(k, List.of()));
                return sink;
            }).asFlux();
        }
    }

    /**
     * Called with the new version after each change that a discovery client can see: instances
     * or services added, removed or changed. Suspicion flips alone don't call it (they only
     * reorder load-balancer choices). Runs on the gossip thread: don't block.
     */
    public void onChange(LongConsumer listener) {
        changeListeners.add(listener);
    }

    /** Re-reads the member list. */
    public synchronized void rebuild() {
        Set<String> statuses = includeStatuses;
        Map<String, List<ServiceInstance>> all = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Member m : members.get()) {
            if (m.status() != MemberStatus.ALIVE) {
                continue;
            }
            GossipServiceInstance si = GossipServiceInstance.from(m);
            if (si == null) {
                continue;
            }
            String key = si.getServiceId().toLowerCase(Locale.ROOT);
            names.putIfAbsent(key, si.getServiceId());
            all.computeIfAbsent(key, k -> new ArrayList<>()).add(si);
        }
        all.values().forEach(v -> v.sort(Comparator.comparing(ServiceInstance::getInstanceId)));
        Map<String, List<ServiceInstance>> frozen = withStatuses(all, statuses);
        Map<String, List<ServiceInstance>> up = statuses.equals(UP_ONLY) ? frozen : withStatuses(all, UP_ONLY);
        List<String> services = names.values().stream().sorted().toList();
        Snapshot old = snapshot;
        if (old.byService().equals(frozen) && old.upByService().equals(up) && old.services().equals(services)) {
            return;
        }
        snapshot = new Snapshot(++version, frozen, up, services);
        sinks.forEach((key, sink) -> {
            List<ServiceInstance> now = up.getOrDefault(key, List.of());
            if (!now.equals(old.upByService().getOrDefault(key, List.of()))) {
                sink.tryEmitNext(now);
            }
        });
        if (!old.services().equals(services) || !sameIgnoringSuspicion(old.byService(), frozen)) {
            long v = version;
            changeListeners.forEach(l -> l.accept(v));
        }
    }

    /** The instances whose status is in {@code statuses}, as immutable lists; services with none left out. */
    private static Map<String, List<ServiceInstance>> withStatuses(Map<String, List<ServiceInstance>> all,
                                                                   Set<String> statuses) {
        Map<String, List<ServiceInstance>> out = new HashMap<>();
        all.forEach((key, list) -> {
            List<ServiceInstance> kept = list.stream()
                    .filter(si -> statuses.contains(((GossipServiceInstance) si).getStatus().toUpperCase(Locale.ROOT)))
                    .toList();
            if (!kept.isEmpty()) {
                out.put(key, kept);
            }
        });
        return Map.copyOf(out);
    }

    private static boolean sameIgnoringSuspicion(Map<String, List<ServiceInstance>> a,
                                                 Map<String, List<ServiceInstance>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<ServiceInstance>> e : a.entrySet()) {
            List<ServiceInstance> x = e.getValue();
            List<ServiceInstance> y = b.get(e.getKey());
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!((GossipServiceInstance) x.get(i)).sameIgnoringSuspicion((GossipServiceInstance) y.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }
}
