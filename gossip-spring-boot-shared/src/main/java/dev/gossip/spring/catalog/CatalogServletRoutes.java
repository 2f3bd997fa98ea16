package dev.gossip.spring.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.BaseSubscriber;

/**
 * The catalog on Spring MVC. A watch is an asynchronous SSE response: no servlet thread waits for
 * its events; the feed's threads write them.
 */
final class CatalogServletRoutes {

    /** No async timeout: a watch lasts until its client or this member goes. */
    private static final Duration NO_TIMEOUT = Duration.ZERO;

    private CatalogServletRoutes() {
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

    private static ServerResponse json(CatalogApi.Reply reply) {
        ServerResponse.BodyBuilder response = ServerResponse.status(reply.status())
                .header(CatalogApi.INDEX_HEADER, Long.toString(reply.index()))
                .contentType(MediaType.APPLICATION_JSON);
        if (reply.status() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, CatalogApi.RETRY_AFTER_SECONDS);
        }
        return response.body(reply.json().getBytes(StandardCharsets.UTF_8));
    }

    private static ServerResponse watch(CatalogApi api, ServerRequest request) {
        CatalogApi.Stream stream;
        try {
            stream = api.watch(request.params().getOrDefault("service", List.of()));
        } catch (CatalogFeed.Unavailable e) {
            return json(api.unavailable(e));
        }
        ServerResponse response = ServerResponse.sse(sse -> {
            SseWriter writer = new SseWriter(sse);
            sse.onTimeout(writer::dispose);
            sse.onError(e -> writer.dispose());
            sse.onComplete(writer::dispose);
            stream.frames().subscribe(writer);
        }, NO_TIMEOUT);
        return new WithIndexHeader(response, stream.index());
    }

    /** An SSE response with the index header, which {@code ServerResponse.sse} has no way to add. */
    private record WithIndexHeader(ServerResponse sse, long index) implements ServerResponse {

        @Override
        public HttpStatusCode statusCode() {
            return sse.statusCode();
        }

        /** Abstract in Spring Framework 6.2 (Boot 3.5), gone in 7. */
        @SuppressWarnings("removal")
        public int rawStatusCode() {
            return sse.statusCode().value();
        }

        @Override
        public HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            headers.addAll(sse.headers());
            headers.set(CatalogApi.INDEX_HEADER, Long.toString(index));
            return HttpHeaders.readOnlyHttpHeaders(headers);
        }

        @Override
        public MultiValueMap<String, Cookie> cookies() {
            return sse.cookies();
        }

        @Override
        public ModelAndView writeTo(HttpServletRequest request, HttpServletResponse response, Context context)
                throws ServletException, IOException {
            response.setHeader(CatalogApi.INDEX_HEADER, Long.toString(index));
            return sse.writeTo(request, response, context);
        }
    }

    /** Writes each frame on a feed thread (blocking); a failed write means the client went: stop quietly. */
    private static final class SseWriter extends BaseSubscriber<CatalogApi.Frame> {
        private final ServerResponse.SseBuilder sse;

        SseWriter(ServerResponse.SseBuilder sse) {
            this.sse = sse;
        }

        @Override
        protected void hookOnNext(CatalogApi.Frame frame) {
            try {
                if (frame.isKeepAlive()) {
                    sse.comment(CatalogApi.Frame.COMMENT).send();
                } else {
                    sse.id(Long.toString(frame.id())).event(frame.event()).data(frame.data());
                }
            } catch (IOException clientGone) {
                cancel();
            }
        }

        @Override
        protected void hookOnComplete() {
            sse.complete();
        }

        @Override
        protected void hookOnError(Throwable error) {
            sse.error(error);
        }
    }
}
