/**
 * The public face of the gossip library: GossipNode, its configuration (GossipConfig, Profile,
 * Timings), members, events, queries and stats. No Spring, no framework: a node owns one serial
 * protocol thread, a transport and a random source, all injected through its Runtime.
 */
package dev.gossip.core;
