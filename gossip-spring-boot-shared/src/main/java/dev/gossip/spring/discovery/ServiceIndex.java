package dev.gossip.spring.discovery;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipListener;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Service id → instances, kept from the gossip member events and read without a lock: a lookup
 * is one map read, no copy, no network. Each event changes only the services of the members it
 * carries (cost proportional to what changed, not to the cluster), and each changed service gets
 * a new immutable list. Load balancers subscribe per service and get every new list pushed.
 */
public final class ServiceIndex implements GossipListener {

    private static final Set<String> UP_ONLY = Set.of(ServiceTags.UP);

    /** One service's instances, sorted by instance id, then member name. */
    private static final class Service {
        final TreeMap<String, GossipServiceInstance> instances = new TreeMap<>();
    }

    private final Supplier<List<Member>> members;
    private volatile Set<String> includeStatuses;

    // Written under the lock (the gossip thread, or a rebuild), read by nobody else.
    private final Map<String, GossipServiceInstance> byMember = new HashMap<>();
    private final Map<String, Service> serviceState = new HashMap<>();
    /** The keys of the services {@link #services} lists. */
    private final Set<String> listedKeys = new HashSet<>();
    private long version;

    // Published: read from any thread without a lock.
    private final Map<String, List<ServiceInstance>> visible = new ConcurrentHashMap<>();
    private final Map<String, List<ServiceInstance>> upOnly = new ConcurrentHashMap<>();
    /** Every alive instance, whatever its status: what the catalog serves. */
    private final Map<String, List<ServiceInstance>> everyStatus = new ConcurrentHashMap<>();
    private volatile List<String> services = List.of();
    private volatile long publishedVersion;

    /** Spellings of service ids with capitals that callers used, and their lower-case key. */
    private final Map<String, String> spellings = new ConcurrentHashMap<>();
    private static final int MAX_SPELLINGS = 512;

    private final Map<String, Sinks.Many<List<ServiceInstance>>> sinks = new ConcurrentHashMap<>();
    private final List<LongConsumer> changeListeners = new CopyOnWriteArrayList<>();
    private final List<ServiceListener> serviceListeners = new CopyOnWriteArrayList<>();

    /** Told of each service whose instances changed in any way, suspicion included. */
    @FunctionalInterface
    public interface ServiceListener {
        /**
         * @param version the index's version after the change (rises by one or more per call)
         * @param serviceId the service, as its first instance spells it (as it was spelled when the last one went)
         * @param instances every alive instance, whatever its status; empty when the service is gone
         */
        void changed(long version, String serviceId, List<ServiceInstance> instances);
    }

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

    /** Changes which statuses {@link #instances} returns (on a configuration refresh) and republishes. */
    public synchronized void setIncludeStatuses(Set<String> statuses) {
        Set<String> upper = upperCase(statuses);
        if (!upper.equals(includeStatuses)) {
            includeStatuses = upper;
            publish(new HashSet<>(serviceState.keySet()), new HashSet<>(visible.keySet()));
        }
    }

    @Override
    public void onEvent(GossipEvent event) {
        if (event instanceof GossipEvent.MemberEvent e) {
            boolean reaped = e.type() == GossipEvent.MemberEventType.REAP;
            synchronized (this) {
                Set<String> dirty = new HashSet<>();
                for (Member m : e.members()) {
                    update(m.name(), reaped ? null : instanceOf(m), dirty);
                }
                publish(dirty, Set.of());
            }
        }
    }

    /**
     * Instances of {@code serviceId} (any case); an empty list when none. One map read for a
     * lower-case id; a spelling with capitals is folded once and remembered (a few hundred at
     * most), so asking again allocates nothing either.
     */
    public List<ServiceInstance> instances(String serviceId) {
        List<ServiceInstance> list = visible.get(serviceId);
        if (list == null) {
            String key = spellings.get(serviceId);
            if (key == null) {
                key = serviceId.toLowerCase(Locale.ROOT);
                if (!key.equals(serviceId) && spellings.size() < MAX_SPELLINGS) {
                    spellings.put(serviceId, key);
                }
            }
            list = visible.get(key);
        }
        return list != null ? list : List.of();
    }

    /** The UP instances of {@code serviceId} (any case), suspects included: what a load balancer chooses from. */
    public List<ServiceInstance> upInstances(String serviceId) {
        return upOnly.getOrDefault(serviceId.toLowerCase(Locale.ROOT), List.of());
    }

    /** Every alive instance of {@code serviceId} (any case), whatever its status. */
    public List<ServiceInstance> allInstances(String serviceId) {
        return everyStatus.getOrDefault(serviceId.toLowerCase(Locale.ROOT), List.of());
    }

    /**
     * Service ids with at least one alive instance, whatever its status: a service whose
     * instances are all DOWN or OUT_OF_SERVICE still exists (a gateway answers 503, not 404).
     */
    public List<String> services() {
        return services;
    }

    /** Rises with every change to any alive instance, of any status (what the catalog serves). */
    public long version() {
        return publishedVersion;
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
                sink.tryEmitNext(upOnly.getOrDefault(k, List.of()));
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

    /**
     * Tells {@code listener} of every service there is now, then of each change, in order, under
     * the index's lock: a listener sees every change exactly once, none before the state it built
     * from. Runs on the gossip thread: don't block.
     */
    public synchronized void addServiceListener(ServiceListener listener) {
        long v = version;
        everyStatus.forEach((key, all) -> listener.changed(v, all.get(0).getServiceId(), all));
        serviceListeners.add(listener);
    }

    /** Re-reads the whole member list: at start, and for an index without a node. */
    public synchronized void rebuild() {
        Map<String, GossipServiceInstance> now = new HashMap<>();
        for (Member m : members.get()) {
            GossipServiceInstance si = instanceOf(m);
            if (si != null) {
                now.put(m.name(), si);
            }
        }
        Set<String> dirty = new HashSet<>();
        for (String gone : List.copyOf(byMember.keySet())) {
            if (!now.containsKey(gone)) {
                update(gone, null, dirty);
            }
        }
        now.forEach((name, si) -> update(name, si, dirty));
        publish(dirty, Set.of());
    }

    /** The member's instance while it is alive and advertises a service; else null. */
    private static GossipServiceInstance instanceOf(Member m) {
        return m.status() == MemberStatus.ALIVE ? GossipServiceInstance.from(m) : null;
    }

    /** Sets one member's instance (null: none), noting the services whose lists change. */
    private void update(String member, GossipServiceInstance now, Set<String> dirty) {
        GossipServiceInstance old = now == null ? byMember.remove(member) : byMember.put(member, now);
        if (Objects.equals(old, now)) {
            return;
        }
        if (old != null) {
            String key = key(old);
            Service s = serviceState.get(key);
            s.instances.remove(sortKey(old, member));
            if (s.instances.isEmpty()) {
                serviceState.remove(key);
            }
            dirty.add(key);
        }
        if (now != null) {
            String key = key(now);
            serviceState.computeIfAbsent(key, k -> new Service()).instances.put(sortKey(now, member), now);
            dirty.add(key);
        }
    }

    private static String key(GossipServiceInstance si) {
        return si.getServiceId().toLowerCase(Locale.ROOT);
    }

    private static String sortKey(GossipServiceInstance si, String member) {
        return si.getInstanceId() + '\u0000' + member;
    }

    /**
     * Publishes new lists for the {@code dirty} services; {@code visibleAnyway} are republished
     * even if their instances did not change (the included statuses did).
     */
    private void publish(Set<String> dirty, Set<String> visibleAnyway) {
        if (dirty.isEmpty() && visibleAnyway.isEmpty()) {
            return;
        }
        Set<String> statuses = includeStatuses;
        boolean seen = false; // a change a discovery client sees, not only suspicion
        boolean anything = false;
        Set<String> keys = new HashSet<>(dirty);
        keys.addAll(visibleAnyway);
        List<String> changedServices = new ArrayList<>();
        List<List<ServiceInstance>> changedLists = new ArrayList<>();
        for (String key : keys) {
            Service s = serviceState.get(key);
            List<GossipServiceInstance> all = s == null ? List.of() : List.copyOf(s.instances.values());
            List<ServiceInstance> shown = withStatuses(all, statuses);
            List<ServiceInstance> up = statuses.equals(UP_ONLY) ? shown : withStatuses(all, UP_ONLY);
            List<ServiceInstance> oldShown = putOrRemove(visible, key, shown);
            List<ServiceInstance> oldUp = putOrRemove(upOnly, key, up);
            List<ServiceInstance> every = List.copyOf(all);
            List<ServiceInstance> oldEvery = putOrRemove(everyStatus, key, every);
            if (!every.equals(oldEvery)) {
                changedServices.add(every.isEmpty() ? oldEvery.get(0).getServiceId() : every.get(0).getServiceId());
                changedLists.add(every);
                anything = true;
            }
            if (!shown.equals(oldShown) || !up.equals(oldUp)) {
                anything = true;
            }
            if (!sameIgnoringSuspicion(oldShown, shown)) {
                seen = true;
            }
            if (!up.equals(oldUp)) {
                Sinks.Many<List<ServiceInstance>> sink = sinks.get(key);
                if (sink != null) {
                    sink.tryEmitNext(up);
                }
            }
        }
        List<String> names = serviceNames(dirty);
        if (!names.equals(services)) {
            services = names;
            anything = true;
            seen = true;
        }
        if (!anything) {
            return;
        }
        publishedVersion = ++version;
        for (int i = 0; i < changedServices.size(); i++) {
            for (ServiceListener l : serviceListeners) {
                l.changed(version, changedServices.get(i), changedLists.get(i));
            }
        }
        if (seen) {
            long v = version;
            changeListeners.forEach(l -> l.accept(v));
        }
    }

    /** The services' names (as their first instance spells them), recomputed only if a dirty one came or went. */
    private List<String> serviceNames(Set<String> dirty) {
        boolean cameOrWent = false;
        for (String key : dirty) {
            if (listedKeys.contains(key) != serviceState.containsKey(key)) {
                cameOrWent = true;
                break;
            }
        }
        if (!cameOrWent) {
            return services;
        }
        listedKeys.clear();
        listedKeys.addAll(serviceState.keySet());
        TreeSet<String> names = new TreeSet<>();
        serviceState.values().forEach(s -> names.add(s.instances.firstEntry().getValue().getServiceId()));
        return List.copyOf(names);
    }

    private static List<ServiceInstance> putOrRemove(Map<String, List<ServiceInstance>> map, String key,
                                                     List<ServiceInstance> list) {
        List<ServiceInstance> old = list.isEmpty() ? map.remove(key) : map.put(key, list);
        return old == null ? List.of() : old;
    }

    /** The instances whose status is in {@code statuses}, as an immutable list. */
    private static List<ServiceInstance> withStatuses(List<GossipServiceInstance> all, Set<String> statuses) {
        List<ServiceInstance> kept = new ArrayList<>(all.size());
        for (GossipServiceInstance si : all) {
            if (statuses.contains(si.getStatus().toUpperCase(Locale.ROOT))) {
                kept.add(si);
            }
        }
        return kept.size() == all.size() ? List.<ServiceInstance>copyOf(all) : List.copyOf(kept);
    }

    private static boolean sameIgnoringSuspicion(List<ServiceInstance> x, List<ServiceInstance> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!((GossipServiceInstance) x.get(i)).sameIgnoringSuspicion((GossipServiceInstance) y.get(i))) {
                return false;
            }
        }
        return true;
    }
}
