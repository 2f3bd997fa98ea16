package dev.gossip.spring.loadbalancer;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Hears every load-balanced call end, for every client kind that runs Spring Cloud's lifecycle
 * hooks (RestClient, RestTemplate, WebClient, OpenFeign, Gateway), and reports to
 * {@link Quarantine} the calls that failed on I/O: those whose connection could not be
 * made (nothing reached the server: the instance failed, not the request), and those that failed
 * once connected (a read timeout or a reset, e.g. on a kept-alive connection into a partition).
 * An HTTP error status is an answer, so it is not reported.
 */
public class CallFailureLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    private final Quarantine quarantine;

    public CallFailureLifecycle(Quarantine quarantine) {
        this.quarantine = quarantine;
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
        if (completion.status() != CompletionContext.Status.FAILED || chosen == null || !chosen.hasServer()) {
            return;
        }
        if (ConnectFailures.isConnectFailure(completion.getThrowable())) {
            quarantine.connectFailed(chosen.getServer());
        } else if (ConnectFailures.isIoFailure(completion.getThrowable())) {
            quarantine.callFailed(chosen.getServer());
        }
    }
}
