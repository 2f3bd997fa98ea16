package dev.gossip.spring.loadbalancer;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the retries of calls whose connection could not be made, each sent once more to another
 * instance by {@link RetryingLoadBalancerClient}, {@link RetryingExchangeFilterFunction} or
 * {@link ConnectFailureRetryer}: nothing had reached the server, so any HTTP method is safe to
 * send again.
 */
public final class ConnectRetries {

    private final LongAdder attempted = new LongAdder();
    private final LongAdder failed = new LongAdder();

    void attempted() {
        attempted.increment();
    }

    void failed() {
        failed.increment();
    }

    /** Retries that were answered (any HTTP status) by the instance tried second. */
    public long succeeded() {
        return Math.max(0, attempted.sum() - failed.sum());
    }

    /** Retries that failed too; the caller then sees the error. */
    public long failedRetries() {
        return failed.sum();
    }
}
