package dev.gossip.spring.loadbalancer;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.ProbeResult;
import dev.gossip.spring.discovery.GossipServiceInstance;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Instances this application's calls failed to reach, kept out of its load balancers (Envoy's
 * outlier detection, Finagle's failure accrual), with the failure detector asked to look now. A
 * failed call quarantines its instance at once and makes our gossip node probe its member out of
 * turn ({@link GossipNode#probe}); the probe's result decides what happens next:
 * <ul>
 * <li>no ack: the member is now suspect, and the whole cluster hears it within a gossip round;
 *     quarantined until it refutes (it was alive after all) or fails;</li>
 * <li>acked by others only: it lives but we can't reach it (a partition between us); quarantined
 *     until it answers one of our direct pings, every {@code recheckEvery};</li>
 * <li>acked, after a refused or timed-out connection: the node is fine but its application
 *     refused us (port closed, app hung); quarantined for the whole {@code duration}, then tried
 *     again;</li>
 * <li>acked, after a call that failed once connected (a read timeout, a reset): the application
 *     failed that one call, which is not ours to judge; back at once.</li>
 * </ul>
 * Bounded: every quarantine ends after {@code duration} at the latest; an entry goes as soon as its
 * member is no longer alive (the failure detector has taken over); and at most {@code maxShare} of
 * a service's instances are quarantined at a time (at least one, never all), so a client whose own
 * network fails, seeing every call fail, cannot take a whole service away from itself. Local to
 * this application: nothing new goes on the wire.
 */
public class Quarantine implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

    /** Why an instance is quarantined: the probe is out, or what it answered. */
    private enum Cause { PROBING, SUSPECTED, NETWORK, APPLICATION }

    /** One quarantined instance. */
    private record Held(String instanceId, String member, String serviceId, long sinceNanos, boolean connectFailed,
                        Cause cause) {
        Held because(Cause c) {
            return new Held(instanceId, member, serviceId, sinceNanos, connectFailed, c);
        }
    }

    private final MemberProbes members;
    private final long durationNanos;
    private final double maxShare;
    private final ToIntFunction<String> instancesOf;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService recheck;
    private final LongAdder quarantined = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param recheckEvery how often quarantines are reviewed (our node's probe interval)
     * @param duration     the longest any quarantine lasts
     * @param maxShare     the largest share of a service's instances quarantined at once
     * @param instancesOf  how many instances a service has now
     */
    public Quarantine(GossipNode node, Duration recheckEvery, Duration duration, double maxShare,
                      ToIntFunction<String> instancesOf) {
        this(MemberProbes.of(node), recheckEvery, duration, maxShare, instancesOf);
    }

    /**
     * @param members      probes and looks up the members behind instances
     * @param recheckEvery how often quarantines are reviewed
     * @param duration     the longest any quarantine lasts
     * @param maxShare     the largest share of a service's instances quarantined at once
     * @param instancesOf  how many instances a service has now
     */
    public Quarantine(MemberProbes members, Duration recheckEvery, Duration duration, double maxShare,
                      ToIntFunction<String> instancesOf) {
        this.members = members;
        this.durationNanos = duration.toNanos();
        this.maxShare = maxShare;
        this.instancesOf = instancesOf;
        this.recheck = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gossip-quarantine");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, recheckEvery.toMillis());
        recheck.scheduleWithFixedDelay(this::recheck, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A connection to {@code instance} could not be made (refused, unreachable, timed out). */
    public void connectFailed(ServiceInstance instance) {
        quarantine(instance, true);
    }

    /** A call to {@code instance} failed after its connection was made (read timeout, reset). */
    public void callFailed(ServiceInstance instance) {
        quarantine(instance, false);
    }

    private void quarantine(ServiceInstance instance, boolean connectFailed) {
        if (!(instance instanceof GossipServiceInstance g) || held.containsKey(g.getInstanceId())) {
            return;
        }
        Held h = new Held(g.getInstanceId(), g.getMemberName(), g.getServiceId(), System.nanoTime(), connectFailed,
                Cause.PROBING);
        if (!admit(h)) {
            // Over the share: not quarantined here, but the failure detector still looks at it now.
            refused.increment();
            members.probe(h.member());
            return;
        }
        quarantined.increment();
        members.probe(h.member()).thenAccept(result -> probed(g, h, result));
    }

    /** Whether one more instance of the service may be quarantined; and if so, it is. */
    private synchronized boolean admit(Held h) {
        int instances = instancesOf.applyAsInt(h.serviceId());
        long already = held.values().stream().filter(o -> o.serviceId().equals(h.serviceId())).count();
        if (already >= allowed(instances, maxShare)) {
            return false;
        }
        return held.putIfAbsent(h.instanceId(), h) == null;
    }

    /** How many of {@code instances} may be quarantined at once: the share, at least one, never all. */
    static int allowed(int instances, double maxShare) {
        if (instances < 2 || maxShare <= 0) {
            return 0;
        }
        return Math.min(instances - 1, Math.max(1, (int) Math.floor(maxShare * instances)));
    }

    private void probed(GossipServiceInstance g, Held h, ProbeResult result) {
        String id = g.getInstanceId();
        switch (result) {
            case NO_ACK -> {
                if (held.replace(id, h, h.because(Cause.SUSPECTED))) {
                    log.info("A call to {} ({}:{}) failed and member {} answers no probe: it is suspected now",
                            id, g.getHost(), g.getPort(), h.member());
                }
            }
            case ACKED_BY_OTHERS -> {
                held.replace(id, h, h.because(Cause.NETWORK));
                log.info("A call to {} ({}:{}) failed and member {} does not answer us, though it answers others:"
                        + " avoiding it until it answers us again", id, g.getHost(), g.getPort(), h.member());
            }
            case ACKED, NOT_PROBED -> {
                // NOT_PROBED: a thin client, which cannot probe, or a stopping node; judge by the call alone
                if (!h.connectFailed()) {
                    held.remove(id, h);
                } else if (held.replace(id, h, h.because(Cause.APPLICATION))) {
                    log.info("{} ({}:{}) refused a connection{}: avoiding it for {} s", id, g.getHost(), g.getPort(),
                            result == ProbeResult.ACKED ? " while its node answers us" : "",
                            Duration.ofNanos(durationNanos).toSeconds());
                }
            }
        }
    }

    public boolean isQuarantined(ServiceInstance instance) {
        return !held.isEmpty() && held.containsKey(instance.getInstanceId());
    }

    /** How many instances are quarantined now. */
    public int size() {
        return held.size();
    }

    /** Quarantines begun so far. */
    public long quarantined() {
        return quarantined.sum();
    }

    /** Failed calls whose instance was not quarantined because its service was at the share already. */
    public long refused() {
        return refused.sum();
    }

    private void recheck() {
        long now = System.nanoTime();
        held.forEach((instance, h) -> {
            Optional<Member> m = members.member(h.member());
            if (m.isEmpty() || m.get().status() != MemberStatus.ALIVE) {
                held.remove(instance, h); // failed or left: discovery drops it, the detector has taken over
                return;
            }
            if (now - h.sinceNanos() >= durationNanos) {
                if (held.remove(instance, h)) {
                    log.info("Trying {} again: its quarantine is over", instance);
                }
                return;
            }
            switch (h.cause()) {
                case PROBING, APPLICATION -> {
                    // the probe is still out; or the application's time is not up
                }
                case SUSPECTED -> {
                    if (!m.get().suspect() && held.remove(instance, h)) {
                        log.info("Member {} refuted its suspicion: {} is back in the load balancers", h.member(),
                                instance);
                    }
                }
                case NETWORK -> members.ping(h.member()).thenAccept(answered -> {
                    if (answered && held.remove(instance, h)) {
                        log.info("Member {} answers us again: {} is back in the load balancers", h.member(), instance);
                    }
                });
            }
        });
    }

    @Override
    public void destroy() {
        recheck.shutdownNow();
    }
}
