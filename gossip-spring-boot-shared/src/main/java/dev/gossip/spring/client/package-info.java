/**
 * Thin client mode: an application that cannot join the gossip cluster (behind NAT, short-lived, no
 * UDP path) keeps discovery and load balancing live by watching a member's catalog over HTTP.
 */
package dev.gossip.spring.client;
