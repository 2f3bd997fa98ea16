package dev.gossip.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;

/** Gossip discovery is on: spring.cloud.discovery.enabled and spring.cloud.gossip[.discovery].enabled. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@ConditionalOnDiscoveryEnabled
@ConditionalOnGossipEnabled
@ConditionalOnProperty(value = "spring.cloud.gossip.discovery.enabled", matchIfMissing = true)
public @interface ConditionalOnGossipDiscoveryEnabled {
}
