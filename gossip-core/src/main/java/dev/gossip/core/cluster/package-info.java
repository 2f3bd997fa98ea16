/**
 * The Serf layer (hashicorp/serf serf/): Lamport clocks, join and leave intents, member status,
 * reap and reconnect, user events, queries and the internal _serf_* queries, carried as
 * memberlist user messages. Runs on the node's protocol thread only.
 */
package dev.gossip.core.cluster;
