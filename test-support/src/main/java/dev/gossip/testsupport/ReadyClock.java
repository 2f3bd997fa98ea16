package dev.gossip.testsupport;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * Records (System.nanoTime) when the app's readiness became ACCEPTING_TRAFFIC: the moment the
 * starter advertises the instance, so "routed within X of readiness" is measured from here.
 */
public final class ReadyClock implements ApplicationListener<AvailabilityChangeEvent<?>> {

    private volatile long readyNanos;

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && readyNanos == 0) {
            readyNanos = System.nanoTime();
        }
    }

    public long readyNanos() {
        if (readyNanos == 0) {
            throw new IllegalStateException("never became ready");
        }
        return readyNanos;
    }
}
