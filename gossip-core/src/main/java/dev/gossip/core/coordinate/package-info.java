/**
 * Vivaldi network coordinates as Serf computes them (hashicorp/serf coordinate/), exchanged in
 * ack payloads, for round-trip estimates between members.
 */
package dev.gossip.core.coordinate;
