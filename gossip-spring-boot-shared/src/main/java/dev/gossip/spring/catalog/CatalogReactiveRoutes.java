package dev.gossip.spring.catalog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The catalog on WebFlux; a watch is a {@code Flux} of server-sent events. */
final class CatalogReactiveRoutes {

    private CatalogReactiveRoutes() {
    }

    static RouterFunction<ServerResponse> routes(CatalogApi api) {
        String p = api.path();
        return RouterFunctions.route()
                .GET(p + "/v1/services", r -> json(api.services()))
                .GET(p + "/v1/services/{serviceId}", r -> json(api.service(r.pathVariable("serviceId"))))
                .GET(p + "/v1/watch", r -> watch(api, r))
                .route(RequestPredicates.path(p + "/**"), r -> json(api.notFound(r.path())))
                .build();
    }

    private static Mono<ServerResponse> json(CatalogApi.Reply reply) {
        ServerResponse.BodyBuilder response = ServerResponse.status(reply.status())
                .header(CatalogApi.INDEX_HEADER, Long.toString(reply.index()))
                .contentType(MediaType.APPLICATION_JSON);
        if (reply.status() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, CatalogApi.RETRY_AFTER_SECONDS);
        }
        return response.bodyValue(reply.json().getBytes(StandardCharsets.UTF_8));
    }

    private static Mono<ServerResponse> watch(CatalogApi api, ServerRequest request) {
        CatalogApi.Stream stream;
        try {
            stream = api.watch(request.queryParams().getOrDefault("service", List.of()));
        } catch (CatalogFeed.Unavailable e) {
            return json(api.unavailable(e));
        }
        Flux<ServerSentEvent<String>> events = stream.frames().map(CatalogReactiveRoutes::event);
        return ServerResponse.ok()
                .header(CatalogApi.INDEX_HEADER, Long.toString(stream.index()))
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .body(BodyInserters.fromServerSentEvents(events));
    }

    private static ServerSentEvent<String> event(CatalogApi.Frame frame) {
        if (frame.isKeepAlive()) {
            return ServerSentEvent.<String>builder().comment(CatalogApi.Frame.COMMENT).build();
        }
        return ServerSentEvent.builder(frame.data()).id(Long.toString(frame.id())).event(frame.event()).build();
    }
}
