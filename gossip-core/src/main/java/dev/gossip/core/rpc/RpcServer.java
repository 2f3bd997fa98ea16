package dev.gossip.core.rpc;

import dev.gossip.core.GossipNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves serf's RPC protocol for one node, so {@code serf members -rpc-addr=...} and the other CLI
 * commands work against it. Plain blocking sockets: an accept thread, and per client a reader
 * and a writer thread, at most {@link RpcConfig#maxClients()} clients. The node starts one when
 * its {@code GossipConfig} has {@code rpc(...)} set, and closes it on shutdown.
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    private final RpcConfig config;
    private final ServerSocket listener;
    private final RpcCounters counters = new RpcCounters();
    private final RpcCommands commands;
    /** The log source this server detected (and so closes); null when configured or absent. */
    private final LogSource ownLogSource;
    private final Set<RpcSession> sessions = ConcurrentHashMap.newKeySet();
    private final String threadPrefix;
    private volatile boolean closed;

    private RpcServer(GossipNode node, RpcConfig config, ServerSocket listener) {
        this.config = config;
        this.listener = listener;
        this.ownLogSource = config.logSource() != null ? null : LogSources.detect();
        LogSource logs = config.logSource() != null ? config.logSource() : ownLogSource;
        this.commands = new RpcCommands(node, config, counters, logs);
        this.threadPrefix = "gossip-rpc-" + node.name();
    }

    /**
     * Binds {@code config}'s address and starts accepting clients.
     *
     * @throws UncheckedIOException when the address cannot be bound (message names it)
     */
    public static RpcServer start(GossipNode node, RpcConfig config) {
        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the RPC address " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        RpcServer server = new RpcServer(node, config, socket);
        Thread accept = new Thread(server::acceptLoop, server.threadPrefix + "-accept");
        accept.setDaemon(true);
        accept.start();
        log.info("Serf RPC for '{}' listening on {}{}", node.name(), server.address(),
                config.authKey() == null || config.authKey().isEmpty() ? "" : " (auth required)");
        return server;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("RPC accept failed: {}", e.toString());
                    pauseAfterAcceptFailure(); // out of file descriptors, say: don't spin on it
                }
                continue;
            }
            if (sessions.size() >= config.maxClients()) {
                counters.drop(RpcDrop.TOO_MANY_CLIENTS);
                closeQuietly(socket);
                continue;
            }
            counters.countAccepted();
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(socket);
                continue;
            }
            RpcSession[] self = new RpcSession[1];
            self[0] = new RpcSession(socket, config, counters, commands, () -> {
                if (sessions.remove(self[0])) {
                    counters.connectedGauge().decrementAndGet();
                }
            });
            sessions.add(self[0]);
            counters.connectedGauge().incrementAndGet();
            self[0].start(threadPrefix);
            if (closed) {
                self[0].close();
            }
        }
    }

    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bound address (with the real port when 0 was configured). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    public RpcCounters counters() {
        return counters;
    }

    public RpcConfig config() {
        return config;
    }

    /** Stops accepting and closes every client; does not wait for their threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(listener);
        sessions.forEach(RpcSession::close);
        if (ownLogSource != null) {
            ownLogSource.close();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
