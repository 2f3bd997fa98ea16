package dev.gossip.acceptance.gateway;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Records, per call (request header {@value #CALL_ID}), the HTTP port the gateway's load balancer
 * chose. It runs right after the load-balancer filter, so failed calls are attributed too: a call
 * that fails at the crashed instance's port was sent there.
 */
class RoutedTo implements GlobalFilter, Ordered {

    static final String CALL_ID = "X-Call-Id";

    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI chosen = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        String id = exchange.getRequest().getHeaders().getFirst(CALL_ID);
        if (chosen != null && id != null) {
            ports.put(id, chosen.getPort());
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
    }

    /** The port call {@code id} was sent to; -1 when it never reached the load balancer's choice. */
    int port(String id) {
        return ports.getOrDefault(id, -1);
    }
}
