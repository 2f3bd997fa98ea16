/**
 * Native-image hints for what Spring Boot's AOT processing cannot see.
 */
package dev.gossip.spring.aot;
