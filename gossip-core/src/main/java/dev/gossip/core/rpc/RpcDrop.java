package dev.gossip.core.rpc;

/** Why the RPC server refused a client, dropped a record or closed a connection; each is counted. */
public enum RpcDrop {
    /** A connection beyond {@link RpcConfig#maxClients()}: closed at once. */
    TOO_MANY_CLIENTS,
    /** No handshake (or auth, when a key is set) within {@link RpcConfig#handshakeTimeout()}. */
    HANDSHAKE_TIMEOUT,
    /** Nothing sent for {@link RpcConfig#idleTimeout()} while no stream, monitor or query was open. */
    IDLE_TIMEOUT,
    /** A request arrived before the handshake (serf answers "Handshake required" and hangs up). */
    HANDSHAKE_REQUIRED,
    /** A command before {@code auth} when a key is set (answered "Authentication required"). */
    AUTH_REQUIRED,
    /** An {@code auth} with the wrong key. */
    AUTH_FAILED,
    /** An unknown command: answered "Unsupported command", then the connection is closed as serf does. */
    UNSUPPORTED_COMMAND,
    /** Bytes that are not a msgpack request, or a header without a command. */
    MALFORMED_REQUEST,
    /** A request object larger than {@link RpcConfig#maxRequestBytes()}, declared or actual. */
    REQUEST_TOO_LARGE,
    /** An event record for a {@code stream} that the client did not read fast enough. */
    STREAM_RECORD,
    /** A log line for a {@code monitor} that the client did not read fast enough. */
    LOG_RECORD,
    /** An ack or response for a {@code query} that the client did not read fast enough. */
    QUERY_RECORD,
    /** A reply that could not be queued within {@link RpcConfig#writeTimeout()}: the client is closed. */
    SLOW_CLIENT
}
