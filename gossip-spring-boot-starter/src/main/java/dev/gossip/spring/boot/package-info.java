/**
 * What the starter does with types that moved between Spring Boot lines (health, the web server's
 * port, the bootstrap registry). These sources use Boot 4's names; gossip-spring-boot3-starter
 * compiles them with Boot 3.5's. The rest is in gossip-spring-boot-shared.
 */
package dev.gossip.spring.boot;
