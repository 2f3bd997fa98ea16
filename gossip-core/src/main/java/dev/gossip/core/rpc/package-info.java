/**
 * Serf's RPC (IPC) protocol served from a Java node, so the stock {@code serf} CLI and serf's Go
 * RPC client work against it with {@code -rpc-addr}: msgpack request and response headers,
 * streams of records (events, logs, query answers), and the bounds that keep a hostile or slow
 * client from hurting the node (serf cmd/serf/command/agent/ipc.go).
 */
package dev.gossip.core.rpc;
