package dev.gossip.spring.discovery;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link HeartbeatEvent} with the index version after membership changes, coalesced:
 * the first change arms a timer of {@code delay}, and one event then carries the latest version,
 * however many changes came in between (a rolling restart, a burst of joins). Listeners such as
 * Spring Cloud Gateway's route refresh rebuild once per burst. Runs on a private daemon thread,
 * never on the gossip thread, and is not an {@code Executor} bean.
 */
public class GossipHeartbeatPublisher implements DisposableBean {

    private final ServiceIndex index;
    private final ApplicationEventPublisher publisher;
    private final long delayNanos;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gossip-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public GossipHeartbeatPublisher(ServiceIndex index, ApplicationEventPublisher publisher, Duration delay) {
        this.index = index;
        this.publisher = publisher;
        this.delayNanos = Math.max(0, delay.toNanos());
        index.onChange(version -> changed());
    }

    private void changed() {
        if (armed.compareAndSet(false, true)) {
            try {
                timer.schedule(this::publish, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the context is closing: nobody to tell
            }
        }
    }

    private void publish() {
        armed.set(false); // a change from now on arms the next event
        publisher.publishEvent(new HeartbeatEvent(index, index.version()));
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
