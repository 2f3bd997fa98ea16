package dev.gossip.spring.loadbalancer;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Locale;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Hears every load-balanced call end, for every client kind that runs Spring Cloud's lifecycle
 * hooks (RestClient, RestTemplate, WebClient, OpenFeign, Gateway), and reports to
 * {@link UnreachableInstances} the calls that failed on I/O: those whose connection could not be
 * made (nothing reached the server: the instance failed, not the request), and those that failed
 * once connected (a read timeout or a reset, e.g. on a kept-alive connection into a partition).
 * An HTTP error status is an answer, so it is not reported.
 */
public class CallFailureLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    private final UnreachableInstances unreachable;

    public CallFailureLifecycle(UnreachableInstances unreachable) {
        this.unreachable = unreachable;
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
        if (isConnectFailure(completion.getThrowable())) {
            unreachable.connectFailed(chosen.getServer());
        } else if (isIoFailure(completion.getThrowable())) {
            unreachable.callFailed(chosen.getServer());
        }
    }

    /**
     * Refused, unreachable or timed out while connecting, anywhere in the cause chain: the JDK's
     * exceptions, and by name those of Netty and Apache HttpClient ({@code ConnectTimeoutException};
     * their refusals extend {@link ConnectException}).
     */
    static boolean isConnectFailure(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof HttpConnectTimeoutException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")
                    || (t instanceof java.net.SocketTimeoutException && t.getMessage() != null
                        && t.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out"))) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure or a timeout anywhere in the cause chain (an HTTP error status is neither). */
    static boolean isIoFailure(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
