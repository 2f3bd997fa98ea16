package dev.gossip.spring.catalog;

import dev.gossip.spring.discovery.ServiceIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The catalog's copy of the service index and its watchers. One {@link ServiceIndex.ServiceListener}
 * keeps the current lists and hands each change to every interested watcher's bounded queue. The
 * listener runs on the gossip thread: it only enqueues, and a watcher whose queue is full is cut
 * off (its client resyncs from a new snapshot) rather than slowing the gossip thread or the others.
 * Watchers receive their events on the feed's own threads, never on the gossip thread.
 *
 * <p>Stopping the context ends every watch (before the web server's graceful shutdown, which
 * would otherwise wait for the endless streams) and refuses new ones until it starts again.
 */
public final class CatalogFeed implements ServiceIndex.ServiceListener, SmartLifecycle, AutoCloseable {

    /** One service's instances after a change; an empty list means the service is gone. */
    public record ServiceEvent(long index, String service, List<ServiceInstance> instances) {
    }

    /** The services (name → instances, sorted by name) at {@code index}. */
    public record Snapshot(long index, Map<String, List<ServiceInstance>> services) {
    }

    /**
     * A snapshot and the events that follow it, none lost or repeated; cancel the events to stop
     * watching. {@code cutOff} completes when the feed ends the watch (overflow, stop), for
     * operators after the events' own that should end at once too.
     */
    public record Watch(Snapshot snapshot, Flux<ServiceEvent> events, Mono<Void> cutOff) {
    }

    /** Thrown by {@link #watch} when {@code max-watchers} streams are open already, or the feed is stopped. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** A watcher's filter (lower-case service keys, null for all) and its bounded queue. */
    private static final class Watcher {
        final Set<String> keys;
        final Sinks.Many<ServiceEvent> queue;
        final Sinks.Empty<Void> cut = Sinks.empty();

        Watcher(Set<String> keys, int capacity) {
            this.keys = keys;
            this.queue = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
        }

        boolean wants(String key) {
            return keys == null || keys.contains(key);
        }
    }

    private final int maxWatchers;
    private final int maxPendingEvents;

    // Guarded by this: written by the listener (gossip thread), read by subscribers.
    private final Map<String, List<ServiceInstance>> current = new TreeMap<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private long index;
    private boolean running = true;

    /** Delivers events to watchers; a servlet watcher's blocking write holds one of its threads. */
    private final Scheduler delivery;
    private final LongAdder events = new LongAdder();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    public CatalogFeed(ServiceIndex serviceIndex, int maxWatchers, int maxPendingEvents) {
        this.maxWatchers = maxWatchers;
        this.maxPendingEvents = maxPendingEvents;
        this.delivery = Schedulers.newBoundedElastic(maxWatchers, Integer.MAX_VALUE, "gossip-catalog", 60, true);
        // Before registering: the replay then only raises it (the index may have no services at all).
        this.index = serviceIndex.version();
        serviceIndex.addServiceListener(this);
    }

    /** On the gossip thread, in order, under the service index's lock: only memory work here. */
    @Override
    public synchronized void changed(long version, String serviceId, List<ServiceInstance> instances) {
        index = Math.max(index, version);
        String key = key(serviceId);
        if (instances.isEmpty()) {
            current.remove(key);
        } else {
            current.put(key, instances);
        }
        ServiceEvent event = new ServiceEvent(index, serviceId, instances);
        List<Watcher> gone = null;
        for (Watcher w : watchers) {
            if (!w.wants(key)) {
                continue;
            }
            Sinks.EmitResult result = w.queue.tryEmitNext(event);
            if (result.isSuccess()) {
                events.increment();
                continue;
            }
            if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                overflows.increment();
            } // else cancelled: the client went, and its unregistering is on the way
            gone = gone == null ? new ArrayList<>() : gone;
            gone.add(w);
        }
        if (gone != null) {
            gone.forEach(this::disconnect);
        }
    }

    /**
     * Opens a watch on {@code services} (any case; empty for all): the snapshot and the registration
     * of its queue happen under one lock, so the events are exactly those after the snapshot.
     *
     * @throws Unavailable when {@code max-watchers} watches are open, or the feed is stopped
     */
    public Watch watch(Collection<String> services) {
        Set<String> keys = services.isEmpty() ? null : keys(services);
        Watcher w = new Watcher(keys, maxPendingEvents);
        Snapshot snapshot;
        synchronized (this) {
            if (!running) {
                throw new Unavailable("this member is shutting down: watch another member");
            }
            if (watchers.size() >= maxWatchers) {
                rejected.increment();
                throw new Unavailable("this member already streams to " + maxWatchers
                        + " watchers (spring.cloud.gossip.catalog.max-watchers): retry later or watch another member");
            }
            snapshot = snapshot(keys);
            watchers.add(w);
        }
        // Cut off, the stream ends at once, even with no demand, instead of after its backlog.
        Flux<ServiceEvent> events = w.queue.asFlux().publishOn(delivery, 1)
                .takeUntilOther(w.cut.asMono())
                .doFinally(signal -> unregister(w));
        return new Watch(snapshot, events, w.cut.asMono());
    }

    /** The current services (all, or those of {@code services}, any case). */
    public synchronized Snapshot snapshot(Collection<String> services) {
        return snapshot(services.isEmpty() ? null : keys(services));
    }

    private Snapshot snapshot(Set<String> keys) {
        Map<String, List<ServiceInstance>> byName = new TreeMap<>();
        current.forEach((key, list) -> {
            if (keys == null || keys.contains(key)) {
                byName.put(list.get(0).getServiceId(), list);
            }
        });
        return new Snapshot(index, byName);
    }

    /** The member's index now. */
    public synchronized long index() {
        return index;
    }

    /** Ends the watcher's stream from a delivery thread: completing it is the web server's work. */
    private void disconnect(Watcher w) {
        watchers.remove(w);
        delivery.schedule(w.cut::tryEmitEmpty);
    }

    private synchronized void unregister(Watcher w) {
        watchers.remove(w);
    }

    @Override
    public synchronized void start() {
        running = true;
    }

    /** Ends every watch; their clients reconnect, to another member if this one goes away. */
    @Override
    public synchronized void stop() {
        running = false;
        List.copyOf(watchers).forEach(this::disconnect);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        stop();
        delivery.dispose();
    }

    /** The threads watchers' events arrive on, and the catalog's streams are written from. */
    Scheduler delivery() {
        return delivery;
    }

    public synchronized int watchers() {
        return watchers.size();
    }

    /** Events handed to watchers' queues. */
    public long eventsQueued() {
        return events.sum();
    }

    /** Watchers cut off because they fell {@code max-pending-events} behind. */
    public long overflows() {
        return overflows.sum();
    }

    /** Watches refused because {@code max-watchers} were open. */
    public long rejected() {
        return rejected.sum();
    }

    private static String key(String serviceId) {
        return serviceId.toLowerCase(Locale.ROOT);
    }

    private static Set<String> keys(Collection<String> services) {
        Set<String> keys = new HashSet<>();
        services.forEach(s -> keys.add(key(s)));
        return Set.copyOf(keys);
    }
}
