/**
 * Spring Cloud LoadBalancer integration: gossip's push-based instance list as the base that the
 * LoadBalancer presets decorate.
 */
package dev.gossip.spring.loadbalancer;
