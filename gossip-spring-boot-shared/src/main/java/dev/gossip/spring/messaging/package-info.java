/**
 * Gossip user events, member events and queries as Spring citizens: application events for
 * {@code @EventListener} methods, {@link dev.gossip.spring.messaging.GossipMessaging} to send,
 * and {@link dev.gossip.spring.messaging.GossipQueryHandler} beans to answer. Nothing here runs
 * user code on the gossip thread.
 */
package dev.gossip.spring.messaging;
