/**
 * Actuator integration: the gossip health indicator, /actuator/gossip, gossip.* metrics and the
 * serviceregistry endpoint extension.
 */
package dev.gossip.spring.actuate;
