/**
 * Spring Boot auto-configuration of one gossip node per application context, and its properties
 * (spring.cloud.gossip.*).
 */
package dev.gossip.spring;
