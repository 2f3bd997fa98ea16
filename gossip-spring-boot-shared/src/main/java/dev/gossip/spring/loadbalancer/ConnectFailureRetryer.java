package dev.gossip.spring.loadbalancer;

import feign.RetryableException;
import feign.Retryer;

/**
 * OpenFeign's retryer when the application declares none: a call whose connection could not be
 * made is sent once more (the load balancer then chooses again, and the failed instance is
 * quarantined by then); anything else propagates at once, as Feign's default never retries.
 */
final class ConnectFailureRetryer implements Retryer {

    private final ConnectRetries retries;
    private boolean retried;

    ConnectFailureRetryer(ConnectRetries retries) {
        this.retries = retries;
    }

    @Override
    public void continueOrPropagate(RetryableException e) {
        if (retried) {
            retries.failed();
            throw e;
        }
        if (!ConnectFailures.isConnectFailure(e)) {
            throw e;
        }
        retried = true;
        retries.attempted();
    }

    @Override
    public Retryer clone() {
        return new ConnectFailureRetryer(retries);
    }
}
