/**
 * Spring Cloud DiscoveryClient and ReactiveDiscoveryClient over an in-memory service index
 * built from the gossip member list, and the HeartbeatEvents that announce its changes.
 */
package dev.gossip.spring.discovery;
