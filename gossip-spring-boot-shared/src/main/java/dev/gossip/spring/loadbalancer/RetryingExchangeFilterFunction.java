package dev.gossip.spring.loadbalancer;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * WebClient's load-balancing filter, sending an exchange whose connection could not be made once
 * more, to the instance chosen next (the failed one is quarantined by then). Not applied over
 * Spring Cloud's retrying filter ({@code spring.cloud.loadbalancer.retry.enabled=true}), whose
 * settings then rule.
 */
final class RetryingExchangeFilterFunction implements LoadBalancedExchangeFilterFunction {

    private final LoadBalancedExchangeFilterFunction delegate;
    private final ConnectRetries retries;

    RetryingExchangeFilterFunction(LoadBalancedExchangeFilterFunction delegate, ConnectRetries retries) {
        this.delegate = delegate;
        this.retries = retries;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return delegate.filter(request, next).onErrorResume(ConnectFailures::isConnectFailure, first -> {
            retries.attempted();
            return delegate.filter(request, next).doOnError(second -> {
                retries.failed();
                second.addSuppressed(first);
            });
        });
    }
}
