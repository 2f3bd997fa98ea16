package dev.gossip.core.rpc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPC client connection: a reader thread that decodes requests and runs them in order (as
 * serf's agent does per client), and a writer thread that drains a bounded outbound queue. Replies
 * wait for room (up to the write timeout, then the client is closed); stream, log and query
 * records never wait: a full queue drops them and counts the drop, so the node's thread, which
 * produces them, is never blocked by a slow client (serf's agent drops too, ipc_event_stream.go).
 */
final class RpcSession {

    private static final Logger log = LoggerFactory.getLogger(RpcSession.class);
    /**
     * Room kept in the outbound queue beyond {@link RpcConfig#recordQueue()} for replies and the
     * {@code done} that ends a query stream: records cannot crowd them out.
     */
    private static final int RESERVED = 16;
    /** Query IDs a client may still {@code respond} to; older ones are forgotten first. */
    private static final int MAX_PENDING_QUERIES = 256;

    /** An encoded frame, built on the writer thread; {@code written} completes once it is flushed. */
    private record Outbound(Supplier<byte[]> frame, CompletableFuture<Void> written) {}

    private static final Outbound POISON = new Outbound(() -> new byte[0], null);

    private final Socket socket;
    private final RpcConfig config;
    private final RpcCounters counters;
    private final RpcCommands commands;
    private final Runnable onClose;
    private final BlockingQueue<Outbound> outbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long connectedNanos = System.nanoTime();
    private RequestReader reader;

    volatile boolean handshaken;
    volatile boolean authenticated;
    /** Open {@code stream}s by the Seq that opened them: closing one unsubscribes it. */
    final Map<Long, AutoCloseable> streams = new ConcurrentHashMap<>();
    /** The open {@code monitor}, if any, and the Seq that opened it. */
    volatile AutoCloseable monitor;
    volatile long monitorSeq;
    /** {@code query} commands still streaming answers: the client may be silent meanwhile. */
    final AtomicInteger openQueries = new AtomicInteger();
    private final AtomicLong queryIds = new AtomicLong();
    private final Map<Long, dev.gossip.core.Query> pendingQueries = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, dev.gossip.core.Query> eldest) {
            return size() > MAX_PENDING_QUERIES;
        }
    };

    RpcSession(Socket socket, RpcConfig config, RpcCounters counters, RpcCommands commands, Runnable onClose) {
        this.socket = socket;
        this.config = config;
        this.counters = counters;
        this.commands = commands;
        this.onClose = onClose;
        this.outbound = new ArrayBlockingQueue<>(config.recordQueue() + RESERVED);
    }

    void start(String threadPrefix) {
        String name = threadPrefix + "-" + socket.getPort();
        Thread r = new Thread(this::readLoop, name + "-read");
        Thread w = new Thread(this::writeLoop, name + "-write");
        r.setDaemon(true);
        w.setDaemon(true);
        w.start();
        r.start();
    }

    @Override
    public String toString() {
        return "rpc client " + socket.getRemoteSocketAddress();
    }

    // ---- reading ----

    private void readLoop() {
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            reader = new RequestReader(in, config.maxRequestBytes());
            while (!closed.get()) {
                int first = awaitRequest(in);
                if (first < 0) {
                    return;
                }
                RequestBody header = RequestBody.of(reader.readStartingWith(first));
                String command = header.string("Command");
                if (command.isEmpty()) {
                    counters.drop(RpcDrop.MALFORMED_REQUEST);
                    return;
                }
                if (!commands.handle(this, command, header.integer("Seq"))) {
                    return;
                }
            }
        } catch (RequestReader.TooLargeException e) {
            counters.drop(RpcDrop.REQUEST_TOO_LARGE);
            log.debug("Closing {}: {}", this, e.getMessage());
        } catch (RequestReader.MalformedException | RequestBody.BadFieldException e) {
            counters.drop(RpcDrop.MALFORMED_REQUEST);
            log.debug("Closing {}: {}", this, e.getMessage());
        } catch (SocketTimeoutException e) {
            counters.drop(handshaken ? RpcDrop.IDLE_TIMEOUT : RpcDrop.HANDSHAKE_TIMEOUT); // stalled mid-request
        } catch (IOException | RuntimeException e) {
            log.debug("Closing {}: {}", this, e.toString());
        } finally {
            close();
        }
    }

    /**
     * Waits for the first byte of the next request. A client that has not finished its handshake
     * (and auth) in time, or that is silent past the idle timeout with nothing open, is closed.
     *
     * @return the byte, or -1 to close
     */
    private int awaitRequest(InputStream in) throws IOException {
        while (true) {
            boolean greeted = handshaken && (authenticated || !commands.authRequired());
            long waitMillis = greeted ? config.idleTimeout().toMillis()
                    : config.handshakeTimeout().toMillis() - (System.nanoTime() - connectedNanos) / 1_000_000;
            if (waitMillis <= 0) {
                counters.drop(RpcDrop.HANDSHAKE_TIMEOUT);
                return -1;
            }
            socket.setSoTimeout((int) Math.min(waitMillis, Integer.MAX_VALUE));
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                if (!greeted) {
                    counters.drop(RpcDrop.HANDSHAKE_TIMEOUT);
                    return -1;
                }
                if (streams.isEmpty() && monitor == null && openQueries.get() == 0) {
                    counters.drop(RpcDrop.IDLE_TIMEOUT);
                    return -1;
                }
            }
        }
    }

    /** The body that follows a header, under the same size bound. */
    RequestBody readBody() throws IOException {
        return RequestBody.of(reader.read());
    }

    // ---- writing ----

    /**
     * Queues a reply, waiting for room up to the write timeout; a client that does not read its
     * replies is closed and counted.
     *
     * @return whether it was queued
     */
    boolean reply(byte[] frame) {
        return enqueue(new Outbound(() -> frame, null));
    }

    /** Queues a reply and completes once it has been written and flushed (or the client is gone). */
    CompletableFuture<Void> replyAndFlush(byte[] frame) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (!enqueue(new Outbound(() -> frame, written))) {
            written.complete(null);
        }
        return written;
    }

    /** Queues a last reply and waits (up to the write timeout) until it is written, before the caller closes. */
    void replyBeforeClosing(byte[] frame) {
        try {
            replyAndFlush(frame).get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("Last reply to {} not flushed: {}", this, e.toString());
        }
    }

    private boolean enqueue(Outbound o) {
        if (closed.get()) {
            return false;
        }
        try {
            if (outbound.offer(o, config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counters.drop(RpcDrop.SLOW_CLIENT);
        close();
        return false;
    }

    /**
     * Queues a stream record without waiting: when the client is behind, it is dropped and counted
     * under {@code dropped}. Safe on the node's thread; the frame is encoded on the writer's.
     */
    void record(Supplier<byte[]> frame, RpcDrop dropped) {
        if (closed.get()) {
            return;
        }
        // size then offer is racy only between producers: at worst a few records use the reserve
        if (outbound.size() >= config.recordQueue() || !outbound.offer(new Outbound(frame, null))) {
            counters.drop(dropped);
        }
    }

    /**
     * Queues a record the client cannot do without (the {@code done} that ends a query stream:
     * the CLI waits for it) without waiting; if even the reserve is full the client is closed, so
     * it fails instead of hanging.
     */
    void lastRecord(Supplier<byte[]> frame) {
        if (!closed.get() && !outbound.offer(new Outbound(frame, null))) {
            counters.drop(RpcDrop.SLOW_CLIENT);
            close();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (true) {
                Outbound o = outbound.take();
                if (o == POISON) {
                    return;
                }
                out.write(o.frame().get());
                if (o.written() != null || outbound.isEmpty()) {
                    out.flush();
                }
                if (o.written() != null) {
                    o.written().complete(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing {}: write failed: {}", this, e.toString());
        } finally {
            close();
            outbound.forEach(o -> {
                if (o.written() != null) {
                    o.written().complete(null);
                }
            });
        }
    }

    // ---- queries received through a stream, answered with respond ----

    long registerQuery(dev.gossip.core.Query q) {
        long id = queryIds.incrementAndGet();
        synchronized (pendingQueries) {
            pendingQueries.put(id, q);
        }
        return id;
    }

    dev.gossip.core.Query pendingQuery(long id) {
        synchronized (pendingQueries) {
            return pendingQueries.get(id);
        }
    }

    // ---- closing ----

    boolean isClosed() {
        return closed.get();
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        streams.values().forEach(RpcSession::closeQuietly);
        streams.clear();
        AutoCloseable m = monitor;
        if (m != null) {
            closeQuietly(m);
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        outbound.clear();
        outbound.offer(POISON);
        onClose.run();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("Unsubscribing failed: {}", e.toString());
        }
    }
}
