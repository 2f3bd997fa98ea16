package dev.gossip.spring.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A catalog that serves {@code /v1/watch} as docs/catalog.md says, scripted by a test: each watch
 * starts with the snapshot {@link #snapshot} gives, then whatever {@link #send} queues.
 */
public final class FakeCatalog implements AutoCloseable {

    private static final String END = "\u0000end";

    private final HttpServer server;
    private final List<BlockingQueue<String>> streams = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    final AtomicInteger watches = new AtomicInteger();
    public volatile Supplier<String> snapshot = () -> snapshot(Map.of());
    volatile int status = 200;

    public FakeCatalog() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/gossip/catalog/v1/watch", this::watch);
        server.createContext("/gossip/catalog/v1/services/", this::service);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/gossip/catalog");
    }

    private void watch(HttpExchange exchange) throws IOException {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        watches.incrementAndGet();
        if (status != 200) {
            byte[] body = "{\"error\":\"no\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        streams.add(queue);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "event:snapshot\nid:1\ndata:" + snapshot.get() + "\n\n");
            while (true) {
                String next = queue.poll(10, TimeUnit.SECONDS);
                if (next == null || next.equals(END)) {
                    return;
                }
                write(out, next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        } finally {
            streams.remove(queue);
        }
    }

    /** {@code /v1/services/{id}}: the snapshot's list of that service. */
    private void service(HttpExchange exchange) throws IOException {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String id = exchange.getRequestURI().getPath().substring("/gossip/catalog/v1/services/".length());
        Map<String, Object> all = org.springframework.boot.json.JsonParserFactory.getJsonParser()
                .parseMap(snapshot.get());
        Object instances = ((Map<?, ?>) all.get("services")).get(id);
        String list = instances == null ? "[]" : org.springframework.boot.json.JsonWriter.standard().writeToString(instances);
        byte[] body = ("{\"index\":1,\"service\":\"" + id + "\",\"instances\":" + list + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Queues raw text on every open watch. */
    void sendRaw(String text) {
        streams.forEach(q -> q.add(text));
    }

    /** Queues a service event on every open watch. */
    void send(String service, String... instances) {
        sendRaw("event: service\nid: 2\ndata: {\"index\":2,\"service\":\"" + service + "\",\"instances\":["
                + String.join(",", instances) + "]}\n\n");
    }

    /** Ends every open watch, as a member does when it stops. */
    void endWatches() {
        streams.forEach(q -> q.add(END));
    }

    int openWatches() {
        return streams.size();
    }

    public static String snapshot(Map<String, List<String>> services) {
        return "{\"index\":1,\"services\":{" + services.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":[" + String.join(",", e.getValue()) + "]")
                .collect(Collectors.joining(",")) + "}}";
    }

    /** An instance as the catalog writes it; {@code extraTags} as "k","v" pairs. */
    public static String instance(String service, String member, int port, boolean suspect, String... extraTags) {
        StringBuilder tags = new StringBuilder("\"service\":\"" + service + "\",\"port\":\"" + port + "\"");
        for (int i = 0; i < extraTags.length; i += 2) {
            tags.append(",\"").append(extraTags[i]).append("\":\"").append(extraTags[i + 1]).append('"');
        }
        return "{\"serviceId\":\"" + service + "\",\"instanceId\":\"" + member + "\",\"member\":\"" + member
                + "\",\"address\":\"127.0.0.1\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"secure\":false,"
                + "\"status\":\"UP\",\"suspect\":" + suspect + ",\"metadata\":{" + tags + "}}";
    }

    @Override
    public void close() {
        endWatches();
        server.stop(0);
    }
}
