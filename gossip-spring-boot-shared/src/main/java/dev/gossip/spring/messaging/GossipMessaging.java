package dev.gossip.spring.messaging;

import dev.gossip.core.GossipNode;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends gossip user events and queries from application code: the Spring face of
 * {@code serf event} and {@code serf query}. Events reach every member (Java nodes and
 * {@code serf agent}s alike) at most once; queries collect answers until their deadline.
 */
public class GossipMessaging {

    /** Serf agents' default UserEventSizeLimit (serf {@code config.go}); the node enforces its own. */
    private static final String EVENT_LIMIT_HINT = "; serf agents drop larger events too (UserEventSizeLimit):"
            + " send a reference (a version, a key, a URL) rather than the data";

    private final GossipNode node;

    public GossipMessaging(GossipNode node) {
        this.node = node;
    }

    /**
     * Sends a user event with a UTF-8 payload, coalescable like {@code serf event}'s default.
     *
     * @throws IllegalArgumentException if name and payload exceed the user event size limit (512 bytes encoded)
     */
    public void send(String name, String payload) {
        send(name, utf8(payload), true);
    }

    /** Sends a user event with a raw payload, coalescable. */
    public void send(String name, byte[] payload) {
        send(name, payload, true);
    }

    /**
     * Sends a user event.
     *
     * @param coalesce whether Serf agents may deliver only the latest of a burst of events of this name
     * @throws IllegalArgumentException if name and payload exceed the user event size limit
     */
    public void send(String name, byte[] payload, boolean coalesce) {
        requireName(name, "user event");
        try {
            node.sendUserEvent(name, payload, coalesce);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + EVENT_LIMIT_HINT, e);
        }
    }

    /** Queries every member with a UTF-8 payload; completes with the answers at Serf's default deadline. */
    public CompletableFuture<GossipQueryResponses> query(String name, String payload) {
        return query(name, utf8(payload), QueryParams.defaults());
    }

    /** Queries every member, collecting answers for {@code timeout}. */
    public CompletableFuture<GossipQueryResponses> query(String name, String payload, Duration timeout) {
        return query(name, utf8(payload), QueryParams.defaults().withTimeout(timeout));
    }

    /**
     * Sends a query (filters, acks and timeout in {@code params}); the future completes at the
     * deadline with every answer that arrived; no thread waits for it meanwhile.
     *
     * @throws IllegalArgumentException if the encoded query exceeds the query size limit (1024 bytes)
     */
    public CompletableFuture<GossipQueryResponses> query(String name, byte[] payload, QueryParams params) {
        requireName(name, "query");
        QueryHandle handle = node.query(name, payload, params);
        return handle.finished().thenApply(GossipQueryResponses::of);
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A " + what + " needs a name, e.g. \"deploy\"");
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
