package dev.gossip.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The answers to a query we sent, as they arrive. Each node acks and responds at most once.
 * {@link #finished()} completes at the query's deadline.
 *
 * <p>Callers only read a handle: answers are written through its {@link Feed}, which only the
 * node that sent the query holds, so nobody else can add or forge answers.
 */
public final class QueryHandle {

    /** One node's response. */
    public record Response(String from, byte[] payload) {}

    private final String name;
    /** Appended on the node's thread, read from any: guarded by {@code this}; an add is O(1). */
    private final List<String> acks = new ArrayList<>();
    private final List<Response> responses = new ArrayList<>();
    private final CompletableFuture<QueryHandle> finished = new CompletableFuture<>();
    private final List<Consumer<Response>> responseListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> ackListeners = new CopyOnWriteArrayList<>();

    private QueryHandle(String name) {
        this.name = name;
    }

    /** A new handle for a query called {@code name}; keep the feed, hand out {@link Feed#handle()}. */
    public static Feed open(String name) {
        return new QueryHandle(name).new Feed();
    }

    public String name() {
        return name;
    }

    /** Nodes that acked so far. */
    public synchronized List<String> acks() {
        return List.copyOf(acks);
    }

    /** Responses so far. */
    public synchronized List<Response> responses() {
        return List.copyOf(responses);
    }

    /**
     * Completes (with this handle) when the query times out. Each call returns a dependent copy,
     * so completing it does not end the query.
     */
    public CompletableFuture<QueryHandle> finished() {
        return finished.copy();
    }

    public QueryHandle onAck(Consumer<String> listener) {
        ackListeners.add(listener);
        return this;
    }

    public QueryHandle onResponse(Consumer<Response> listener) {
        responseListeners.add(listener);
        return this;
    }

    /** The write side of one handle, held by the node that sent the query. */
    public final class Feed {

        private Feed() {
        }

        /** The read side, for the caller. */
        public QueryHandle handle() {
            return QueryHandle.this;
        }

        public void ack(String from) {
            synchronized (QueryHandle.this) {
                acks.add(from);
            }
            ackListeners.forEach(l -> l.accept(from));
        }

        public void respond(String from, byte[] payload) {
            Response r = new Response(from, payload);
            synchronized (QueryHandle.this) {
                responses.add(r);
            }
            responseListeners.forEach(l -> l.accept(r));
        }

        public void finish() {
            finished.complete(QueryHandle.this);
        }
    }
}
