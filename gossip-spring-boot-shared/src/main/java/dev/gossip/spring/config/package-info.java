/**
 * Discovery-first Spring Cloud Config: a bootstrap gossip node finds the Config server, then
 * serves the application.
 */
package dev.gossip.spring.config;
