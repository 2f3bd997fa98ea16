package dev.gossip.spring.messaging;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Hands gossip user and member events to Spring's {@code @EventListener}s, in the order the node
 * reported them, on one thread of its own ({@code gossip-events}). The gossip thread only offers
 * each event to a bounded queue: a slow listener must never delay probes and acks (the cluster
 * would suspect this node), so when the queue is full the event is dropped and counted, and the
 * drop logged at the 1st, 2nd, 4th, 8th... time so the log stays readable.
 *
 * <p>Delivery starts when the context has refreshed, after {@code @EventListener} methods are
 * registered; events that arrive during the refresh wait in the queue until then. The node starts
 * (and joins its seeds) before this relay exists: who was there at start is in the
 * {@code DiscoveryClient} and {@code GossipNode.members()}, not in events.
 */
public class GossipEventRelay implements GossipListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GossipEventRelay.class);

    private final Object source;
    private final ApplicationEventPublisher publisher;
    private final BlockingQueue<ApplicationEvent> queue;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread worker;

    /**
     * @param source the {@code getSource()} of every event (the gossip node)
     * @param capacity events that may wait for the listeners before new ones are dropped
     */
    public GossipEventRelay(Object source, ApplicationEventPublisher publisher, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("spring.cloud.gossip.events.queue-capacity must be at least 1, was "
                    + capacity);
        }
        this.source = source;
        this.publisher = publisher;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** On the gossip thread: never blocks. Queries are not events; GossipQueryResponder answers them. */
    @Override
    public void onEvent(GossipEvent event) {
        ApplicationEvent e;
        if (event instanceof GossipEvent.UserEvent u) {
            e = GossipUserEvent.of(source, u);
        } else if (event instanceof GossipEvent.MemberEvent m) {
            e = GossipMemberEvent.of(source, m);
        } else {
            return;
        }
        if (!queue.offer(e)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                log.warn("Dropped {} ({} gossip events dropped so far): the application's listeners fall"
                        + " behind the {} queued events; make them hand long work to an executor, or raise"
                        + " spring.cloud.gossip.events.queue-capacity", e, n, queue.size());
            }
        }
    }

    private void deliver() {
        while (!Thread.currentThread().isInterrupted()) {
            ApplicationEvent e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            try {
                publisher.publishEvent(e);
            } catch (RuntimeException ex) {
                // Spring rethrows a listener's exception to the publisher: keep the others' events flowing.
                log.warn("A listener of {} failed", e, ex);
            }
            published.incrementAndGet();
        }
    }

    /** Events handed to the listeners (a listener's failure included). */
    public long published() {
        return published.get();
    }

    /** Events dropped because the listeners fell behind. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public synchronized void start() {
        if (worker == null) {
            Thread t = new Thread(this::deliver, "gossip-events");
            t.setDaemon(true);
            t.start();
            worker = t;
        }
    }

    /** Stops delivering; what is queued waits for the next start (while it fits). */
    @Override
    public synchronized void stop() {
        Thread t = worker;
        worker = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
