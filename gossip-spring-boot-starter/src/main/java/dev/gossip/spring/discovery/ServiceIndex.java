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

    /** One consistent view: instances by lower-case service id, and the service names. */
    private record Snapshot(long version, Map<String, List<ServiceInstance>> byService, List<String> services) {}

    private final Supplier<List<Member>> members;
    private final Set<String> includeStatuses;
    private volatile Snapshot snapshot = new Snapshot(0, Map.of(), List.of());
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
        Set<String> upper = new HashSet<>();
        includeStatuses.forEach(s -> upper.add(s.toUpperCase(Locale.ROOT)));
        this.includeStatuses = Set.copyOf(upper);
        if (build) {
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

    /** Service ids that have at least one instance. */
    public List<String> services() {
        return snapshot.services();
    }

    /** Rises with every rebuild that changed something. */
    public long version() {
        return snapshot.version();
    }

    /** The current list of {@code serviceId}, then every new one as membership changes. */
    public Flux<List<ServiceInstance>> watch(String serviceId) {
        String key = serviceId.toLowerCase(Locale.ROOT);
        synchronized (this) {
            return sinks.computeIfAbsent(key, k -> {
                Sinks.Many<List<ServiceInstance>> sink = Sinks.many().replay().latest();
                sink.tryEmitNext(instances(k));
                return sink;
            }).asFlux();
        }
    }

    /** Called with the new version after each change (on the gossip thread: don't block). */
    public void onChange(LongConsumer listener) {
        changeListeners.add(listener);
    }

    /** Re-reads the member list. */
    public synchronized void rebuild() {
        Map<String, List<ServiceInstance>> byService = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Member m : members.get()) {
            if (m.status() != MemberStatus.ALIVE) {
                continue;
            }
            GossipServiceInstance si = GossipServiceInstance.from(m);
            if (si == null || !includeStatuses.contains(si.getStatus().toUpperCase(Locale.ROOT))) {
                continue;
            }
            String key = si.getServiceId().toLowerCase(Locale.ROOT);
            names.putIfAbsent(key, si.getServiceId());
            byService.computeIfAbsent(key, k -> new ArrayList<>()).add(si);
        }
        Map<String, List<ServiceInstance>> frozen = new HashMap<>();
        byService.forEach((k, v) -> {
            v.sort(Comparator.comparing(ServiceInstance::getInstanceId));
            frozen.put(k, List.copyOf(v));
        });
        Snapshot old = snapshot;
        if (old.byService().equals(frozen)) {
            return;
        }
        List<String> services = names.values().stream().sorted().toList();
        snapshot = new Snapshot(++version, Map.copyOf(frozen), services);
        sinks.forEach((key, sink) -> {
            List<ServiceInstance> now = frozen.getOrDefault(key, List.of());
            if (!now.equals(old.byService().getOrDefault(key, List.of()))) {
                sink.tryEmitNext(now);
            }
        });
        long v = version;
        changeListeners.forEach(l -> l.accept(v));
    }
}
