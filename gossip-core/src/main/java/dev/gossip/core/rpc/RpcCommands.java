package dev.gossip.core.rpc;

import dev.gossip.core.GossipListener;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each RPC command against the node, with serf's replies and error texts (serf ipc.go, one
 * handler per command). Runs on the client's reader thread; blocking calls (join, leave, key
 * queries) block only that client, as in serf. Records for streams are produced by node listeners
 * on the node's thread and only queued there.
 */
final class RpcCommands {

    private static final Logger log = LoggerFactory.getLogger(RpcCommands.class);
    /** Longest a blocking node call may take before the client gets an error. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final GossipNode node;
    private final RpcConfig config;
    private final RpcCounters counters;
    private final LogSource logSource;
    private final KeyCommands keys;

    RpcCommands(GossipNode node, RpcConfig config, RpcCounters counters, LogSource logSource) {
        this.node = node;
        this.config = config;
        this.counters = counters;
        this.logSource = logSource;
        this.keys = new KeyCommands(node);
    }

    boolean authRequired() {
        return config.authKey() != null && !config.authKey().isEmpty();
    }

    /** Runs one request; returns false to close the connection (serf does after these errors). */
    boolean handle(RpcSession s, String name, long seq) throws IOException {
        RpcCommand command = RpcCommand.of(name);
        if (command != RpcCommand.HANDSHAKE && !s.handshaken) {
            counters.drop(RpcDrop.HANDSHAKE_REQUIRED);
            s.replyBeforeClosing(error(seq, "Handshake required"));
            return false;
        }
        if (command == null) {
            counters.drop(RpcDrop.UNSUPPORTED_COMMAND);
            s.replyBeforeClosing(error(seq, "Unsupported command"));
            return false;
        }
        RequestBody body = command.hasBody ? s.readBody() : RequestBody.EMPTY;
        if (authRequired() && !s.authenticated && command != RpcCommand.AUTH && command != RpcCommand.HANDSHAKE) {
            counters.drop(RpcDrop.AUTH_REQUIRED);
            return s.reply(error(seq, "Authentication required"));
        }
        counters.countCommand();
        return switch (command) {
            case HANDSHAKE -> s.reply(handshake(s, seq, body));
            case AUTH -> s.reply(auth(s, seq, body));
            case MEMBERS -> s.reply(members(seq, node.members()));
            case MEMBERS_FILTERED -> s.reply(membersFiltered(seq, body));
            case JOIN -> s.reply(join(seq, body));
            case LEAVE -> leave(s, seq);
            case FORCE_LEAVE -> s.reply(error(seq, call(() -> node.forceLeave(body.string("Node"), body.bool("Prune")))));
            case EVENT -> s.reply(event(seq, body));
            case TAGS -> s.reply(tags(seq, body));
            case STREAM -> stream(s, seq, body);
            case MONITOR -> monitor(s, seq, body);
            case STOP -> s.reply(stop(s, seq, body));
            case QUERY -> query(s, seq, body);
            case RESPOND -> s.reply(respond(s, seq, body));
            case INSTALL_KEY, USE_KEY, REMOVE_KEY, LIST_KEYS -> s.reply(keys.run(command, seq, body.string("Key")));
            case STATS -> s.reply(stats(seq));
            case GET_COORDINATE -> s.reply(coordinate(seq, body));
        };
    }

    static byte[] error(long seq, String error) {
        return ResponseWriter.header(seq, error).toByteArray();
    }

    private byte[] handshake(RpcSession s, long seq, RequestBody body) {
        long version = body.integer("Version");
        if (version != 1) {
            return error(seq, "Unsupported IPC version");
        }
        if (s.handshaken) {
            return error(seq, "Handshake already performed");
        }
        s.handshaken = true;
        return error(seq, "");
    }

    private byte[] auth(RpcSession s, long seq, RequestBody body) {
        byte[] given = body.string("AuthKey").getBytes(StandardCharsets.UTF_8);
        byte[] expected = (config.authKey() == null ? "" : config.authKey()).getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, expected)) { // constant time: the key is a password
            s.authenticated = true;
            return error(seq, "");
        }
        counters.drop(RpcDrop.AUTH_FAILED);
        return error(seq, "Invalid authentication token");
    }

    private static byte[] members(long seq, List<Member> members) {
        return ResponseWriter.header(seq, "").map(1).str("Members").members(members).toByteArray();
    }

    private byte[] membersFiltered(long seq, RequestBody body) {
        MemberFilter filter;
        try {
            filter = new MemberFilter(body.stringMap("Tags"), body.string("Status"), body.string("Name"));
        } catch (IllegalArgumentException e) {
            // serf drops the connection without a reply here; an answer tells the user why
            return error(seq, e.getMessage());
        }
        return members(seq, filter.apply(node.members()));
    }

    private byte[] join(long seq, RequestBody body) {
        List<String> existing = body.strings("Existing");
        boolean replay = body.bool("Replay");
        int joined = 0;
        String err;
        try {
            joined = node.joinAsync(existing, !replay).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            err = joined == 0 && !existing.isEmpty() ? "Failed to join any of " + existing : "";
        } catch (Exception e) {
            err = message(e);
        }
        return ResponseWriter.header(seq, err).map(1).str("Num").uint(joined).toByteArray();
    }

    /**
     * serf ipc.go:handleLeave: leave gracefully, reply, then shut the node down (which closes this
     * server): the reply is flushed before the shutdown so the CLI sees it.
     */
    private boolean leave(RpcSession s, long seq) {
        log.info("Graceful leave requested over RPC");
        s.replyBeforeClosing(error(seq, call(node::leave)));
        node.shutdown();
        return false;
    }

    private byte[] event(long seq, RequestBody body) {
        try {
            node.sendUserEvent(body.string("Name"), body.bytes("Payload"), body.bool("Coalesce"));
            return error(seq, "");
        } catch (RuntimeException e) {
            return error(seq, message(e));
        }
    }

    /** serf ipc.go:handleTags: the current tags minus DeleteTags, plus Tags. */
    private byte[] tags(long seq, RequestBody body) {
        Map<String, String> tags = new LinkedHashMap<>(node.tags());
        body.strings("DeleteTags").forEach(tags::remove);
        tags.putAll(body.stringMap("Tags"));
        try {
            node.setTags(tags);
            return error(seq, "");
        } catch (RuntimeException e) {
            return error(seq, message(e));
        }
    }

    private boolean stream(RpcSession s, long seq, RequestBody body) {
        List<EventFilter> filters = EventFilter.parse(body.string("Type"));
        if (!filters.stream().allMatch(EventFilter::valid)) {
            return s.reply(error(seq, "Invalid event filter"));
        }
        if (s.streams.containsKey(seq)) {
            return s.reply(error(seq, "Stream with given sequence exists"));
        }
        // Reply first, subscribe after: the reply is queued before any record (as serf's defer does).
        if (!s.reply(error(seq, ""))) {
            return false;
        }
        GossipListener listener = e -> {
            if (EventFilter.anyMatches(filters, e)) {
                long queryId = e instanceof Query q ? s.registerQuery(q) : 0;
                s.record(() -> StreamRecords.event(seq, e, queryId), RpcDrop.STREAM_RECORD);
            }
        };
        s.streams.put(seq, () -> node.removeListener(listener));
        node.addListener(listener);
        if (s.isClosed()) { // closed meanwhile: its close may have missed this stream
            node.removeListener(listener);
        }
        return true;
    }

    private boolean monitor(RpcSession s, long seq, RequestBody body) {
        String requested = body.string("LogLevel").toUpperCase(java.util.Locale.ROOT);
        LogSource.Level level = LogSource.Level.parse(requested);
        if (level == null) {
            return s.reply(error(seq, "Unknown log level: " + requested));
        }
        if (s.monitor != null) {
            return s.reply(error(seq, "Monitor already exists"));
        }
        if (logSource == null) {
            return s.reply(error(seq, LogSources.unavailable()));
        }
        if (!s.reply(error(seq, ""))) {
            return false;
        }
        s.monitorSeq = seq;
        s.monitor = logSource.subscribe(level,
                line -> s.record(() -> StreamRecords.log(seq, line), RpcDrop.LOG_RECORD));
        if (s.isClosed()) {
            RpcSession.closeQuietly(s.monitor);
        }
        return true;
    }

    /** Always succeeds, as in serf, whether or not {@code Stop} names an open stream or monitor. */
    private byte[] stop(RpcSession s, long seq, RequestBody body) {
        long stop = body.integer("Stop");
        AutoCloseable m = s.monitor;
        if (m != null && s.monitorSeq == stop) {
            s.monitor = null;
            RpcSession.closeQuietly(m);
        }
        AutoCloseable stream = s.streams.remove(stop);
        if (stream != null) {
            RpcSession.closeQuietly(stream);
        }
        return error(seq, "");
    }

    /**
     * serf ipc.go:handleQuery: reply, then stream {@code ack} and {@code response} records and a
     * final {@code done} at the deadline. Only {@code _serf_ping} without a payload may use the
     * internal prefix (agent.go:Query), which is what {@code serf reachability} sends.
     */
    private boolean query(RpcSession s, long seq, RequestBody body) {
        String name = body.string("Name");
        byte[] payload = body.bytes("Payload");
        if (name.startsWith("_serf_") && (!name.equals("_serf_ping") || payload != null)) {
            return s.reply(error(seq, "Queries cannot contain the '_serf_' prefix"));
        }
        long timeoutNanos = body.integer("Timeout");
        QueryHandle handle;
        try {
            QueryParams params = new QueryParams(body.strings("FilterNodes"), body.stringMap("FilterTags"),
                    body.bool("RequestAck"), (int) body.integer("RelayFactor"),
                    timeoutNanos > 0 ? Duration.ofNanos(timeoutNanos) : null);
            handle = node.queryAsync(name, payload, params).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return s.reply(error(seq, message(e)));
        }
        if (!s.reply(error(seq, ""))) {
            return false;
        }
        s.openQueries.incrementAndGet();
        // Answers that came before we listened (our own, at once) are replayed; each node's ack and
        // response is sent once, whichever path sees it first.
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> responded = ConcurrentHashMap.newKeySet();
        java.util.function.Consumer<String> ack = from -> {
            if (acked.add(from)) {
                s.record(() -> StreamRecords.queryAnswer(seq, "ack", from, null), RpcDrop.QUERY_RECORD);
            }
        };
        java.util.function.Consumer<QueryHandle.Response> response = r -> {
            if (responded.add(r.from())) {
                s.record(() -> StreamRecords.queryAnswer(seq, "response", r.from(), r.payload()), RpcDrop.QUERY_RECORD);
            }
        };
        handle.onAck(ack).onResponse(response);
        handle.acks().forEach(ack);
        handle.responses().forEach(response);
        handle.finished().thenRun(() -> {
            s.lastRecord(() -> StreamRecords.queryAnswer(seq, "done", "", null));
            s.openQueries.decrementAndGet();
        });
        return true;
    }

    private byte[] respond(RpcSession s, long seq, RequestBody body) {
        Query q = s.pendingQuery(body.integer("ID"));
        if (q == null) {
            return error(seq, "No pending queries matching ID");
        }
        try {
            byte[] payload = body.bytes("Payload");
            q.respond(payload == null ? new byte[0] : payload);
            return error(seq, "");
        } catch (RuntimeException e) {
            return error(seq, message(e));
        }
    }

    /** What {@code serf info} prints (agent.go:Stats), with the JVM standing in for Go's runtime. */
    private byte[] stats(long seq) {
        Map<String, String> serf;
        try {
            serf = node.serfStats().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return error(seq, message(e));
        }
        Runtime rt = Runtime.getRuntime();
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("os", System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT));
        runtime.put("arch", System.getProperty("os.arch", ""));
        runtime.put("version", "java " + System.getProperty("java.version", ""));
        runtime.put("max_procs", Integer.toString(rt.availableProcessors()));
        runtime.put("goroutines", Integer.toString(Thread.activeCount()));
        runtime.put("cpu_count", Integer.toString(rt.availableProcessors()));
        ResponseWriter w = ResponseWriter.header(seq, "").map(5);
        w.str("agent").stringMap(Map.of("name", node.name()));
        w.str("event_handlers").stringMap(Map.of());
        w.str("runtime").stringMap(runtime);
        w.str("serf").stringMap(serf);
        w.str("tags").stringMap(node.tags());
        return w.toByteArray();
    }

    private byte[] coordinate(long seq, RequestBody body) {
        var coord = node.coordinate(body.string("Node"));
        return ResponseWriter.header(seq, "").map(2).str("Coord").coordinate(coord.orElse(null))
                .str("Ok").bool(coord.isPresent()).toByteArray();
    }

    /** Waits for a node operation; "" when it succeeded, else the reason. */
    private static String call(java.util.function.Supplier<CompletableFuture<?>> op) {
        try {
            op.get().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return "";
        } catch (Exception e) {
            return message(e);
        }
    }

    static String message(Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException && cause.getMessage() == null) {
            return "Timed out after " + CALL_TIMEOUT.toSeconds() + " s";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
