package dev.gossip.testsupport;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Records every instance a load balancer chose and how each call to it ended, for every client
 * kind (Spring Cloud runs lifecycle beans for RestClient, RestTemplate, WebClient, OpenFeign and
 * Gateway), including the second attempt of a retried call.
 */
public final class Choices implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    /** One call to one instance: when it ended and whether it failed. */
    public record Attempt(long endNanos, String instanceId, boolean failed, String error) {}

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

    /** Registers a recorder in {@code app}, where every load-balancer client context finds it. */
    public static Choices record(ConfigurableApplicationContext app) {
        Choices c = new Choices();
        app.getBeanFactory().registerSingleton("testChoices", c);
        return c;
    }

    @Override
    public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
        return ServiceInstance.class.isAssignableFrom(serverTypeClass);
    }

    @Override
    public void onStart(Request<Object> request) {
    }

    @Override
    public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
    }

    @Override
    public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
        Response<ServiceInstance> chosen = completion.getLoadBalancerResponse();
        if (chosen == null || !chosen.hasServer()) {
            return;
        }
        boolean failed = completion.status() == CompletionContext.Status.FAILED;
        Throwable t = completion.getThrowable();
        attempts.add(new Attempt(System.nanoTime(), chosen.getServer().getInstanceId(), failed,
                t == null ? null : t.toString()));
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The first failed attempt at {@code instanceId}. */
    public Optional<Attempt> firstFailure(String instanceId) {
        return attempts.stream().filter(a -> a.failed() && a.instanceId().equals(instanceId)).findFirst();
    }

    /** Attempts at {@code instanceId} that ended after {@code nanos}. */
    public List<Attempt> after(long nanos, String instanceId) {
        return attempts.stream().filter(a -> a.endNanos() > nanos && a.instanceId().equals(instanceId)).toList();
    }
}
