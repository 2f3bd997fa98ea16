package dev.gossip.core.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a node serves serf's RPC protocol, and the bounds that protect it. Serf's agent
 * listens on 127.0.0.1:7373 and has no bounds of its own; ours keep a hostile or stuck client
 * from growing memory or threads without limit.
 *
 * <pre>{@code
 * GossipConfig.builder().nodeName("a").rpc(RpcConfig.builder().address("127.0.0.1:7373").build())
 * }</pre>
 */
public final class RpcConfig {

    /** serf agent's default {@code -rpc-addr}. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:7373";

    private final String host;
    private final int port;
    private final String authKey;
    private final int maxClients;
    private final int maxRequestBytes;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private final Duration writeTimeout;
    private final int recordQueue;
    private final LogSource logSource;

    private RpcConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.authKey = b.authKey;
        this.maxClients = b.maxClients;
        this.maxRequestBytes = b.maxRequestBytes;
        this.handshakeTimeout = b.handshakeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.writeTimeout = b.writeTimeout;
        this.recordQueue = b.recordQueue;
        this.logSource = b.logSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Host to bind (loopback by default: anyone who reaches the port controls the node). */
    public String host() {
        return host;
    }

    /** Port to bind; 0 picks a free one ({@link RpcServer#address()} tells which). */
    public int port() {
        return port;
    }

    /** The key clients must send with {@code auth} ({@code -rpc-auth}); null or empty = none. */
    public String authKey() {
        return authKey;
    }

    /** Connections served at once; more are closed on accept and counted. */
    public int maxClients() {
        return maxClients;
    }

    /** Largest msgpack object (a header or a body) a client may send, in bytes. */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /** How long a new client may take to shake hands (and authenticate, when a key is set). */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long a client with no open stream, monitor or query may stay silent. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a reply may wait for room in a client's outbound queue before the client is closed. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Outbound records queued per client before new stream, log and query records are dropped (serf: 512). */
    public int recordQueue() {
        return recordQueue;
    }

    /** Where {@code monitor} reads log lines; null = Logback when it is SLF4J's binding, else none. */
    public LogSource logSource() {
        return logSource;
    }

    @Override
    public String toString() {
        return "RpcConfig[" + host + ":" + port + (authKey == null || authKey.isEmpty() ? "" : ", auth") + "]";
    }

    /** Builds an {@link RpcConfig}; every setting has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 7373;
        private String authKey;
        private int maxClients = 16;
        private int maxRequestBytes = 64 * 1024;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private int recordQueue = 512;
        private LogSource logSource;

        /** {@code host:port} as serf's {@code -rpc-addr} takes it ({@code [::1]:7373} for IPv6). */
        public Builder address(String address) {
            Objects.requireNonNull(address, "address");
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("RPC address '" + address + "' is not host:port");
            }
            String h = address.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("RPC address '" + address + "' has no numeric port", e);
            }
            host = h;
            return this;
        }

        public Builder host(String v) {
            host = Objects.requireNonNull(v);
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder authKey(String v) {
            authKey = v;
            return this;
        }

        public Builder maxClients(int v) {
            maxClients = v;
            return this;
        }

        public Builder maxRequestBytes(int v) {
            maxRequestBytes = v;
            return this;
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = Objects.requireNonNull(v);
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = Objects.requireNonNull(v);
            return this;
        }

        public Builder writeTimeout(Duration v) {
            writeTimeout = Objects.requireNonNull(v);
            return this;
        }

        public Builder recordQueue(int v) {
            recordQueue = v;
            return this;
        }

        public Builder logSource(LogSource v) {
            logSource = v;
            return this;
        }

        public RpcConfig build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("RPC port " + port + " is not between 0 and 65535");
            }
            if (maxClients < 1 || maxRequestBytes < 64 || recordQueue < 1) {
                throw new IllegalArgumentException("RPC maxClients and recordQueue must be at least 1, maxRequestBytes"
                        + " at least 64; were " + maxClients + ", " + recordQueue + ", " + maxRequestBytes);
            }
            return new RpcConfig(this);
        }
    }
}
