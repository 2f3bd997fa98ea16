package dev.gossip.spring.catalog;

import java.time.Duration;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * What the catalog answers, independent of the web stack: the MVC and WebFlux routes only map
 * these replies and frames onto their response types.
 */
final class CatalogApi {

    static final String INDEX_HEADER = "X-Gossip-Catalog-Index";
    /** Seconds a client refused for max-watchers waits before it tries again. */
    static final String RETRY_AFTER_SECONDS = "5";

    /** A JSON reply: status, body and the index it was made at. */
    record Reply(int status, String json, long index) {
    }

    /** One server-sent event; {@link #KEEP_ALIVE} is the comment sent while nothing else is. */
    record Frame(String event, long id, String data) {
        static final Frame KEEP_ALIVE = new Frame(null, 0, null);
        /** The comment's text after the colon: {@code : keep-alive}. */
        static final String COMMENT = " keep-alive";

        boolean isKeepAlive() {
            return event == null;
        }
    }

    private final CatalogFeed feed;
    private final String path;
    private final Duration keepAlive;

    CatalogApi(CatalogFeed feed, String path, Duration keepAlive) {
        this.feed = feed;
        this.path = basePath(path);
        this.keepAlive = keepAlive;
    }

    /** "/gossip/catalog/" → "/gossip/catalog"; "catalog" → "/catalog". */
    static String basePath(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }

    String path() {
        return path;
    }

    Reply services() {
        CatalogFeed.Snapshot snapshot = feed.snapshot(List.of());
        return new Reply(200, CatalogJson.services(snapshot), snapshot.index());
    }

    /** The instances of {@code serviceId} (any case); none when nobody advertises it: it may come later. */
    Reply service(String serviceId) {
        CatalogFeed.Snapshot one = feed.snapshot(List.of(serviceId));
        List<ServiceInstance> instances = one.services().values().stream().findFirst().orElse(List.of());
        String name = instances.isEmpty() ? serviceId : instances.get(0).getServiceId();
        return new Reply(200, CatalogJson.service(one.index(), name, instances), one.index());
    }

    Reply notFound(String requestPath) {
        return new Reply(404, CatalogJson.error("The catalog serves no " + requestPath + ": use " + path
                + "/v1/services, " + path + "/v1/services/{serviceId} or " + path + "/v1/watch"), feed.index());
    }

    Reply unavailable(CatalogFeed.Unavailable e) {
        return new Reply(503, CatalogJson.error(e.getMessage()), feed.index());
    }

    /**
     * The watch stream of {@code services} (all when empty): the snapshot, each change, and a
     * keep-alive comment when nothing else was written for {@code keep-alive} (a quarter more at most).
     *
     * @throws CatalogFeed.Unavailable when the member takes no more watchers
     */
    Stream watch(List<String> services) {
        CatalogFeed.Watch watch = feed.watch(services);
        CatalogFeed.Snapshot snapshot = watch.snapshot();
        Frame first = new Frame("snapshot", snapshot.index(), CatalogJson.snapshot(snapshot));
        Flux<Frame> data = watch.events()
                .map(e -> new Frame("service", e.index(), CatalogJson.service(e.index(), e.service(), e.instances())))
                .startWith(first);
        // A keep-alive when a tick finds nothing written for keep-alive (ticks every quarter of it);
        // ticks while a write is under way are dropped.
        long quietNanos = keepAlive.toNanos();
        AtomicLong lastWritten = new AtomicLong(System.nanoTime());
        Flux<Frame> keepAlives = Flux.interval(keepAlive.dividedBy(4), Schedulers.parallel()).onBackpressureDrop()
                .filter(i -> System.nanoTime() - lastWritten.get() >= quietNanos)
                .map(i -> Frame.KEEP_ALIVE);
        Flux<Frame> frames = Flux.merge(1, data, keepAlives)
                // written on a feed thread, never on a timer's or the gossip thread
                .publishOn(feed.delivery(), 1)
                .doOnNext(f -> lastWritten.set(System.nanoTime()))
                .takeUntilOther(watch.cutOff());
        return new Stream(snapshot.index(), frames);
    }

    /** A watch: the index for the response header, and the frames (subscribe once; cancel to stop). */
    record Stream(long index, Flux<Frame> frames) {
    }
}
