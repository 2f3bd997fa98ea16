/**
 * memberlist (hashicorp/memberlist): SWIM probe rounds with indirect and TCP fallback probes,
 * Lifeguard awareness and suspicion, the transmit-limited broadcast queue, and push/pull anti-
 * entropy. Runs on the node's protocol thread only.
 */
package dev.gossip.core.membership;
