package dev.gossip.spring.loadbalancer;

import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryFactory;
import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryPolicy;
import org.springframework.cloud.client.loadbalancer.ServiceInstanceChooser;
import org.springframework.retry.RetryListener;
import org.springframework.retry.backoff.BackOffPolicy;

/**
 * Spring Cloud's own blocking retry (Spring Retry on the classpath), told that a call whose
 * connection could not be made may go once to another instance whatever its HTTP method: Spring
 * Cloud's policy retries GETs only unless {@code retry-on-all-operations} is set, but nothing
 * reached the server. Everything else is the application's policy, as configured.
 */
final class ConnectFailureRetryPolicy implements LoadBalancedRetryPolicy {

    private final LoadBalancedRetryPolicy delegate;
    private final ConnectRetries retries;
    private int connectFailures;

    ConnectFailureRetryPolicy(LoadBalancedRetryPolicy delegate, ConnectRetries retries) {
        this.delegate = delegate;
        this.retries = retries;
    }

    /** Decorates the factory Spring Cloud's retrying interceptor takes its policies from. */
    static LoadBalancedRetryFactory decorate(LoadBalancedRetryFactory factory, ConnectRetries retries) {
        return new LoadBalancedRetryFactory() {
            @Override
            public LoadBalancedRetryPolicy createRetryPolicy(String service, ServiceInstanceChooser chooser) {
                LoadBalancedRetryPolicy policy = factory.createRetryPolicy(service, chooser);
                return policy == null ? null : new ConnectFailureRetryPolicy(policy, retries);
            }

            @Override
            public RetryListener[] createRetryListeners(String service) {
                return factory.createRetryListeners(service);
            }

            @Override
            public BackOffPolicy createBackOffPolicy(String service) {
                return factory.createBackOffPolicy(service);
            }
        };
    }

    @Override
    public void registerThrowable(LoadBalancedRetryContext context, Throwable throwable) {
        delegate.registerThrowable(context, throwable);
        if (ConnectFailures.isConnectFailure(throwable)) {
            connectFailures++;
            if (connectFailures == 1) {
                retries.attempted();
                context.setServiceInstance(null); // choose again, as for any retry on the next instance
            } else if (connectFailures == 2) {
                retries.failed();
            }
        }
    }

    @Override
    public boolean canRetryNextServer(LoadBalancedRetryContext context) {
        boolean connectFailed = ConnectFailures.isConnectFailure(context.getLastThrowable());
        return delegate.canRetryNextServer(context) || (connectFailed && connectFailures == 1);
    }

    @Override
    public boolean retryableException(Throwable exception) {
        return ConnectFailures.isConnectFailure(exception) || delegate.retryableException(exception);
    }

    @Override
    public boolean canRetrySameServer(LoadBalancedRetryContext context) {
        return delegate.canRetrySameServer(context);
    }

    @Override
    public void close(LoadBalancedRetryContext context) {
        delegate.close(context);
    }

    @Override
    public boolean retryableStatusCode(int statusCode) {
        return delegate.retryableStatusCode(statusCode);
    }
}
