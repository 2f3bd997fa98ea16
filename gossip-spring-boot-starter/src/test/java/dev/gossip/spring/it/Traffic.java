package dev.gossip.spring.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * A background loop of calls to {@code http://greeter/greeting} through the frontend's
 * {@code @LoadBalanced} RestClient, recording each call's start and end, who served it, or the
 * error. Bounded: it stops when closed, or after {@code maxDuration} at the latest.
 */
final class Traffic implements AutoCloseable {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    /**
     * One call: times are System.nanoTime; {@code port} is the HTTP port the load balancer chose
     * (-1 if it chose none); {@code instanceId} is who answered, null when the call failed.
     */
    record Call(long startNanos, long endNanos, int port, String instanceId, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private final ThreadLocal<Integer> chosenPort = ThreadLocal.withInitial(() -> -1);
    private final RestClient client;
    private final long pauseMillis;
    private final long deadline;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private final Thread thread;

    Traffic(ConfigurableApplicationContext frontend, Duration pause, Duration maxDuration) {
        // An interceptor after the load balancer's sees the URI it chose.
        this.client = frontend.getBean(RestClient.Builder.class).clone()
                .requestInterceptor((request, body, execution) -> {
                    chosenPort.set(request.getURI().getPort());
                    return execution.execute(request, body);
                })
                .build();
        this.pauseMillis = pause.toMillis();
        this.deadline = System.nanoTime() + maxDuration.toNanos();
        this.thread = new Thread(this::loop, "traffic");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            chosenPort.set(-1);
            try {
                Map<String, Object> body = client.get().uri("http://greeter/greeting").retrieve().body(JSON);
                calls.add(new Call(start, System.nanoTime(), chosenPort.get(), String.valueOf(body.get("instanceId")),
                        null));
            } catch (RuntimeException e) {
                calls.add(new Call(start, System.nanoTime(), chosenPort.get(), null, describe(e)));
            }
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c);
        }
        return sb.toString();
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    List<Call> failures() {
        return calls().stream().filter(c -> !c.ok()).toList();
    }

    long served(String instanceId) {
        return calls.stream().filter(c -> instanceId.equals(c.instanceId())).count();
    }

    /** The first call (by start time) that matches. */
    Optional<Call> first(Predicate<Call> p) {
        return calls.stream().filter(p).findFirst();
    }

    /** The last call (by start time) that matches. */
    Optional<Call> last(Predicate<Call> p) {
        Call last = null;
        for (Call c : calls) {
            if (p.test(c)) {
                last = c;
            }
        }
        return Optional.ofNullable(last);
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }

    static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
