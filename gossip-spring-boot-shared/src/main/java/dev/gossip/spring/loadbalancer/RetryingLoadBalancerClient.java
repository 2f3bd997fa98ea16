package dev.gossip.spring.loadbalancer;

import java.io.IOException;
import java.net.URI;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerRequest;
import org.springframework.cloud.client.loadbalancer.Request;

/**
 * The blocking load balancer of RestClient and RestTemplate, sending a call whose connection
 * could not be made once more, to the instance chosen next: the failed one is quarantined by
 * then, as {@link CallFailureLifecycle} heard of the failure first. Only the load-balancing
 * {@code execute} retries; Spring Cloud's own retry (Spring Retry on the classpath) executes on a
 * given instance and keeps its own policy.
 */
final class RetryingLoadBalancerClient implements LoadBalancerClient {

    private final LoadBalancerClient delegate;
    private final ConnectRetries retries;

    RetryingLoadBalancerClient(LoadBalancerClient delegate, ConnectRetries retries) {
        this.delegate = delegate;
        this.retries = retries;
    }

    @Override
    public <T> T execute(String serviceId, LoadBalancerRequest<T> request) throws IOException {
        try {
            return delegate.execute(serviceId, request);
        } catch (IOException | RuntimeException first) {
            if (!ConnectFailures.isConnectFailure(first)) {
                throw first;
            }
            retries.attempted();
            try {
                return delegate.execute(serviceId, request);
            } catch (IOException | RuntimeException second) {
                retries.failed();
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    @Override
    public <T> T execute(String serviceId, ServiceInstance serviceInstance, LoadBalancerRequest<T> request)
            throws IOException {
        return delegate.execute(serviceId, serviceInstance, request);
    }

    @Override
    public URI reconstructURI(ServiceInstance instance, URI original) {
        return delegate.reconstructURI(instance, original);
    }

    @Override
    public ServiceInstance choose(String serviceId) {
        return delegate.choose(serviceId);
    }

    @Override
    public <T> ServiceInstance choose(String serviceId, Request<T> request) {
        return delegate.choose(serviceId, request);
    }
}
