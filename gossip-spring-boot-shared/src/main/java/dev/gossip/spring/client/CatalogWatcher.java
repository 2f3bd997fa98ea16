package dev.gossip.spring.client;

import dev.gossip.core.Member;
import dev.gossip.core.ProbeResult;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.loadbalancer.MemberProbes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Keeps a thin client's {@link ServiceIndex} equal to a member's catalog: one server-sent-event
 * watch at a time ({@code /v1/watch}, docs/catalog.md), a snapshot then each change as it happens.
 * When the watch ends, fails or falls silent, the next catalog is tried at once, then with a
 * growing pause up to {@code reconnect-delay}; the instances known so far keep being served
 * meanwhile. The catalogs tried are the configured URLs and every {@code catalog} tag the catalog
 * itself lists, so the configured list may go stale.
 */
public final class CatalogWatcher implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatalogWatcher.class);
    private static final long FIRST_RETRY_MS = 100;
    /** The tag a member serving the catalog advertises its base URL in. */
    static final String CATALOG_TAG = "catalog";

    private final GossipClientProperties properties;
    private final CatalogReplica replica;
    private final HttpClient http;
    private final JsonParser json = JsonParserFactory.getJsonParser();
    private final CountDownLatch firstSnapshot = new CountDownLatch(1);
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "gossip-catalog-watchdog"));
    private final Thread thread = daemon(this::run, "gossip-catalog-watch");

    private final LongAdder connects = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private volatile boolean running;
    private volatile URI connectedTo;
    private volatile InputStream stream;
    private volatile long lastReadNanos;
    private volatile long disconnectedSinceNanos = System.nanoTime();
    private volatile List<URI> candidates;
    /** When the last repeatable complaint was logged at WARN: a catalog that keeps refusing is not a log flood. */
    private long lastComplaintNanos = System.nanoTime() - COMPLAINT_EVERY_NANOS;
    private static final long COMPLAINT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** @param includeStatuses the statuses discovery clients return (spring.cloud.gossip.discovery.include-statuses) */
    public CatalogWatcher(GossipClientProperties properties, Set<String> includeStatuses) {
        if (properties.getCatalogUrls().isEmpty()) {
            throw new IllegalArgumentException(GossipClientProperties.PREFIX + ".catalog-urls is empty");
        }
        this.properties = properties;
        this.replica = new CatalogReplica(includeStatuses);
        this.candidates = List.copyOf(properties.getCatalogUrls());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.getConnectTimeout()).build();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts watching, and waits up to {@code startup-timeout} for the first snapshot. */
    @Override
    public void afterPropertiesSet() throws InterruptedException {
        running = true;
        thread.start();
        long ms = Math.max(100, properties.getKeepAliveTimeout().toMillis() / 3);
        watchdog.scheduleWithFixedDelay(this::dropIfSilent, ms, ms, TimeUnit.MILLISECONDS);
        if (!firstSnapshot.await(properties.getStartupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("No catalog answered within {} (tried {}): starting without instances; the watch keeps trying."
                    + " Check {}.catalog-urls, and that those members set spring.cloud.gossip.catalog.enabled=true",
                    properties.getStartupTimeout(), candidates, GossipClientProperties.PREFIX);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        watchdog.shutdownNow();
        closeStream();
        thread.interrupt();
        thread.join(2000);
    }

    /**
     * Throws while no watch has been open for longer than {@code keep-alive-timeout} (the
     * {@link dev.gossip.spring.discovery.DiscoverySource} of a thin client).
     */
    public void probe() {
        long silent = System.nanoTime() - disconnectedSinceNanos;
        if (connectedTo == null && silent > properties.getKeepAliveTimeout().toNanos()) {
            throw new IllegalStateException("No gossip catalog reached for " + Duration.ofNanos(silent).toSeconds()
                    + " s (tried " + candidates + "); serving the instances known before");
        }
    }

    /** The index the catalog feeds: discovery and load balancing read it. */
    public ServiceIndex index() {
        return replica.index();
    }

    /** The catalog watched now, if any. */
    public Optional<URI> connectedTo() {
        return Optional.ofNullable(connectedTo);
    }

    /** The catalogs the watch tries: the configured ones and those the catalog lists. */
    public List<URI> catalogUrls() {
        return candidates;
    }

    public long connects() {
        return connects.sum();
    }

    public long events() {
        return events.sum();
    }

    /** Events rejected (unreadable, too large, out of order): each one restarts the watch. */
    public long dropped() {
        return dropped.sum();
    }

    /** What the quarantine may ask: a client cannot probe, so only the catalog's word counts. */
    public MemberProbes memberProbes() {
        return new MemberProbes() {
            @Override
            public CompletableFuture<ProbeResult> probe(String member) {
                return CompletableFuture.completedFuture(ProbeResult.NOT_PROBED);
            }

            @Override
            public CompletableFuture<Boolean> ping(String member) {
                return CompletableFuture.completedFuture(false);
            }

            @Override
            public Optional<Member> member(String name) {
                return replica.member(name);
            }

            @Override
            public Duration recheckEvery() {
                return Duration.ofSeconds(1);
            }
        };
    }

    private void run() {
        long pauseMs = 0;
        int next = ThreadLocalRandom.current().nextInt(Math.max(1, candidates.size()));
        while (running) {
            List<URI> urls = candidates;
            URI url = urls.get(Math.floorMod(next++, urls.size()));
            long started = System.nanoTime();
            boolean synced = watch(url);
            if (!running) {
                return;
            }
            // After a watch that lasted, the next catalog at once; after failures, or a catalog that
            // ends each watch right after its snapshot, a growing pause.
            boolean lasted = synced && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(1);
            pauseMs = lasted ? 0 : Math.min(properties.getReconnectDelay().toMillis(),
                    pauseMs == 0 ? FIRST_RETRY_MS : pauseMs * 2);
            if (!synced && next % urls.size() == 0) {
                complain("No catalog of {} answers; keeping the {} instances known before and trying again",
                        urls, replica.members().size());
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One watch, until it ends; whether it delivered a snapshot. */
    private boolean watch(URI base) {
        HttpRequest.Builder request = HttpRequest.newBuilder(watchUri(base)).GET()
                .header("Accept", "text/event-stream")
                .timeout(properties.getConnectTimeout().plus(properties.getKeepAliveTimeout()));
        authorize(request, properties);
        boolean synced = false;
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = new LastRead(response.body())) {
                if (response.statusCode() != 200) {
                    complain("Catalog {} answered {}: {}{}", base, response.statusCode(), excerpt(body),
                            response.statusCode() == 401 || response.statusCode() == 403
                                    ? " (set " + GossipClientProperties.PREFIX + ".username and .password)" : "");
                    return false;
                }
                stream = body;
                lastReadNanos = System.nanoTime();
                if (!running) {
                    return false;
                }
                connectedTo = base;
                connects.increment();
                log.info("Watching the gossip catalog at {}", base);
                ServerSentEventReader reader = new ServerSentEventReader(body,
                        (int) Math.min(Integer.MAX_VALUE, properties.getMaxEventSize().toBytes()));
                ServerSentEventReader.Event e;
                while ((e = reader.next()) != null) {
                    synced |= apply(e, synced);
                }
                log.info("The gossip catalog at {} ended the watch; trying the next", base);
            }
        } catch (ServerSentEventReader.TooLargeException | CatalogReplica.BadCatalogException e) {
            dropped.increment();
            log.warn("Dropped the watch of {}: {}", base, e.getMessage());
        } catch (IOException e) {
            if (running) {
                log.debug("Catalog {} unreachable: {}", base, e.toString());
                if (connectedTo != null) {
                    log.warn("Lost the watch of the gossip catalog at {} ({}); trying the next", base, e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connectedTo != null) {
                disconnectedSinceNanos = System.nanoTime();
            }
            connectedTo = null;
            stream = null;
        }
        return synced;
    }

    /** Logs at WARN at most every 30 s, else at DEBUG (only the watcher's thread calls this). */
    private void complain(String format, Object... args) {
        long now = System.nanoTime();
        if (now - lastComplaintNanos >= COMPLAINT_EVERY_NANOS) {
            lastComplaintNanos = now;
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }

    /** Applies one event; true when it was the snapshot. */
    private boolean apply(ServerSentEventReader.Event e, boolean synced) {
        switch (e.type()) {
            case "snapshot" -> {
                replica.snapshot(parse(e.data()));
                events.increment();
                refreshCandidates();
                firstSnapshot.countDown();
                return true;
            }
            case "service" -> {
                if (!synced) {
                    throw new CatalogReplica.BadCatalogException("a service event before the snapshot");
                }
                replica.service(parse(e.data()));
                events.increment();
                refreshCandidates();
                return false;
            }
            default -> {
                return false; // an event type a newer catalog sends: not ours to read
            }
        }
    }

    private Map<String, Object> parse(String data) {
        try {
            return json.parseMap(data);
        } catch (RuntimeException e) { // JsonParseException, and whatever else a parser throws on junk
            throw new CatalogReplica.BadCatalogException("unreadable JSON (" + e.getMessage() + ")");
        }
    }

    /** The configured URLs, then those the members advertise in their catalog tag. */
    private void refreshCandidates() {
        Set<URI> urls = new LinkedHashSet<>(properties.getCatalogUrls());
        for (Member m : replica.members()) {
            String tag = m.tags().get(CATALOG_TAG);
            if (tag != null) {
                try {
                    URI uri = URI.create(tag);
                    if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                        urls.add(uri);
                    }
                } catch (IllegalArgumentException e) {
                    // a tag that is no URL: not a catalog we can watch
                }
            }
        }
        if (!urls.equals(Set.copyOf(candidates))) {
            candidates = List.copyOf(new ArrayList<>(urls));
        }
    }

    private static URI watchUri(URI base) {
        return URI.create(trimmed(base) + "/v1/watch");
    }

    /** The base URL without a trailing slash. */
    static String trimmed(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** HTTP Basic credentials, when a user name is set. */
    static void authorize(HttpRequest.Builder request, GossipClientProperties properties) {
        if (properties.getUsername() != null) {
            String credentials = properties.getUsername() + ":" + (properties.getPassword() == null ? ""
                    : properties.getPassword());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String excerpt(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(300);
        return new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }

    /** Ends a watch that has been silent for longer than keep-alive-timeout. */
    private void dropIfSilent() {
        if (stream != null && System.nanoTime() - lastReadNanos > properties.getKeepAliveTimeout().toNanos()) {
            log.warn("The gossip catalog at {} has sent nothing for {}: trying the next", connectedTo,
                    properties.getKeepAliveTimeout());
            closeStream();
        }
    }

    private void closeStream() {
        InputStream s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing only to end a blocked read
            }
        }
    }

    /** Notes when the last bytes came, for the watchdog. */
    private final class LastRead extends FilterInputStream {
        LastRead(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                lastReadNanos = System.nanoTime();
            }
            return n;
        }
    }
}
