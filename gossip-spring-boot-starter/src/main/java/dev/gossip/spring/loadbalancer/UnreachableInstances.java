package dev.gossip.spring.loadbalancer;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.GossipServiceInstance;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Instances this application could not connect to, kept out of its load balancers. The failure
 * detector cannot see this by itself: a member cut off from us but not from the others stays
 * alive, vouched for by their indirect probes, while every call we send it fails. An instance is
 * held from the failed call on, while our gossip node pings its member directly, and the answer
 * decides how long it stays out:
 * <ul>
 * <li>no answer either: the network between us is down, so it comes back as soon as one of the
 *     pings that follow, every {@code every}, answers (a healed partition);</li>
 * <li>an answer after a refused or timed-out connection: the node is reachable but its
 *     application refused us (port closed, app hung), so it is held for {@code appDownHold};</li>
 * <li>an answer after a call that failed once connected (a read timeout, a reset): the
 *     application was slow or failed that call, which is not ours to judge, so it is back at once.</li>
 * </ul>
 * Local to this application: nothing is sent to the cluster. Bounded by the members: an entry
 * goes when its member is no longer alive in our view (the failure detector has taken over).
 */
public class UnreachableInstances implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(UnreachableInstances.class);

    /** Why an instance is held: what failed, then what the first direct ping told. */
    private enum Cause { CONNECT_FAILED, CALL_FAILED, NETWORK, APPLICATION }

    /** One held instance: its member, since when, and why. */
    private record Held(String member, long sinceNanos, Cause cause) {}

    private final GossipNode node;
    private final long appDownHoldNanos;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService recheck;

    public UnreachableInstances(GossipNode node, Duration every, Duration appDownHold) {
        this.node = node;
        this.appDownHoldNanos = appDownHold.toNanos();
        this.recheck = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gossip-unreachable-recheck");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, every.toMillis());
        recheck.scheduleWithFixedDelay(this::recheck, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A connection to {@code instance} could not be made (refused, unreachable, timed out). */
    public void connectFailed(ServiceInstance instance) {
        hold(instance, Cause.CONNECT_FAILED);
    }

    /** A call to {@code instance} failed after its connection was made (read timeout, reset). */
    public void callFailed(ServiceInstance instance) {
        hold(instance, Cause.CALL_FAILED);
    }

    private void hold(ServiceInstance instance, Cause failed) {
        if (!(instance instanceof GossipServiceInstance g)) {
            return;
        }
        Held h = new Held(g.getMemberName(), System.nanoTime(), failed);
        if (held.putIfAbsent(g.getInstanceId(), h) != null) {
            return;
        }
        ping(h.member(), answered -> {
            if (answered && failed == Cause.CALL_FAILED) {
                held.remove(g.getInstanceId(), h);
                return;
            }
            Cause cause = answered ? Cause.APPLICATION : Cause.NETWORK;
            held.replace(g.getInstanceId(), h, new Held(h.member(), h.sinceNanos(), cause));
            log.info("A call to {} ({}:{}) failed: avoiding it {}", g.getInstanceId(), g.getHost(), g.getPort(),
                    answered ? "for " + Duration.ofNanos(appDownHoldNanos).toSeconds() + " s (its node answers us,"
                            + " its application refused the connection)" : "until member " + h.member() + " answers us again");
        });
    }

    public boolean isUnreachable(ServiceInstance instance) {
        return !held.isEmpty() && held.containsKey(instance.getInstanceId());
    }

    /** How many instances are avoided now. */
    public int size() {
        return held.size();
    }

    private void recheck() {
        held.forEach((instance, h) -> {
            Optional<Member> m = node.member(h.member());
            if (m.isEmpty() || m.get().status() != MemberStatus.ALIVE) {
                held.remove(instance, h);
                return;
            }
            switch (h.cause()) {
                case CONNECT_FAILED, CALL_FAILED -> {
                    // the first ping is still out
                }
                case APPLICATION -> {
                    if (System.nanoTime() - h.sinceNanos() >= appDownHoldNanos && held.remove(instance, h)) {
                        log.info("Trying {} again", instance);
                    }
                }
                case NETWORK -> ping(h.member(), answered -> {
                    if (answered && held.remove(instance, h)) {
                        log.info("Member {} answers again: {} is back in the load balancers", h.member(), instance);
                    }
                });
            }
        });
    }

    private void ping(String member, java.util.function.Consumer<Boolean> answered) {
        try {
            node.ping(member).thenAccept(answered);
        } catch (IllegalStateException e) {
            // the node is stopping: nothing to check
        }
    }

    @Override
    public void destroy() {
        recheck.shutdownNow();
    }
}
