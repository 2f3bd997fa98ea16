package dev.gossip.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** The gossip node is on: spring.cloud.gossip.enabled (default true). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@ConditionalOnProperty(value = "spring.cloud.gossip.enabled", matchIfMissing = true)
public @interface ConditionalOnGossipEnabled {
}
