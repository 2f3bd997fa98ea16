package dev.gossip.benchmarks.eureka;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The steady request loop: {@code GET /hello} on the frontend at a fixed rate, each request sent
 * on time whatever earlier ones are doing (asynchronously), so a slow answer never thins the load.
 * Every call is recorded; the phases read the record.
 */
final class Traffic implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic");
        t.setDaemon(true);
        return t;
    });
    private final List<Call> calls = new ArrayList<>();
    private final HttpRequest request;
    private final int rps;

    Traffic(int frontendPort, int rps) {
        this.request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontendPort + "/hello"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        this.rps = rps;
    }

    void start() {
        ticker.scheduleAtFixedRate(this::send, 0, 1_000_000_000L / rps, TimeUnit.NANOSECONDS);
    }

    private void send() {
        long start = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            long end = System.nanoTime();
            if (error != null) {
                record(new Call(start, end, -1, null));
            } else {
                String by = response.statusCode() == 200 ? Http.field(response.body(), "answeredBy").orElse(null) : null;
                record(new Call(start, end, response.statusCode(), by));
            }
        });
    }

    private synchronized void record(Call call) {
        calls.add(call);
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The first call that greeter answered, by answer time. */
    Optional<Call> firstAnsweredBy(String identity) {
        return calls().stream().filter(c -> c.ok() && c.answeredBy().equals(identity))
                .min((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
    }

    /** The last failed call sent at or after the given time, by send time. */
    Optional<Call> lastFailureSince(long fromNanos) {
        return calls().stream().filter(c -> !c.ok() && c.startNanos() >= fromNanos)
                .max((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    }

    /** Calls sent in [from, to]: how many, how many failed. */
    int[] count(long fromNanos, long toNanos) {
        List<Call> in = calls().stream().filter(c -> c.startedIn(fromNanos, toNanos)).toList();
        return new int[] {in.size(), (int) in.stream().filter(Predicate.not(Call::ok)).count()};
    }

    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        Thread.sleep(5_500); // the last requests answer or time out (5 s) and are recorded
    }
}
