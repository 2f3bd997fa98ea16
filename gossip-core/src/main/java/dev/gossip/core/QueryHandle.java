package dev.gossip.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The answers to a query we sent, as they arrive. Each node acks and responds at most once.
 * {@link #finished()} completes at the query's deadline.
 */
public final class QueryHandle {

    /** One node's response. */
    public record Response(String from, byte[] payload) {}

    private final String name;
    private final List<String> acks = new CopyOnWriteArrayList<>();
    private final List<Response> responses = new CopyOnWriteArrayList<>();
    private final CompletableFuture<QueryHandle> finished = new CompletableFuture<>();
    private final List<Consumer<Response>> responseListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> ackListeners = new CopyOnWriteArrayList<>();

    public QueryHandle(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Nodes that acked so far. */
    public List<String> acks() {
        return List.copyOf(acks);
    }

    /** Responses so far. */
    public List<Response> responses() {
        return List.copyOf(responses);
    }

    /** Completes (with this handle) when the query times out. */
    public CompletableFuture<QueryHandle> finished() {
        return finished;
    }

    public QueryHandle onAck(Consumer<String> listener) {
        ackListeners.add(listener);
        return this;
    }

    public QueryHandle onResponse(Consumer<Response> listener) {
        responseListeners.add(listener);
        return this;
    }

    // ---- fed by the node ----

    public void addAck(String from) {
        acks.add(from);
        ackListeners.forEach(l -> l.accept(from));
    }

    public void addResponse(String from, byte[] payload) {
        Response r = new Response(from, payload);
        responses.add(r);
        responseListeners.forEach(l -> l.accept(r));
    }

    public void finish() {
        finished.complete(this);
    }
}
