/**
 * The production transport: Netty UDP and TCP on one port, with bounded stream sizes, read
 * deadlines and connection limits, so hostile peers cost bounded resources.
 */
package dev.gossip.core.transport.netty;
