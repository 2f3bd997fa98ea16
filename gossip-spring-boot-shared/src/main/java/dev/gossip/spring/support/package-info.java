/**
 * Node lifecycle (start, leave and drain, stop, restart) and start-up error reporting that
 * names the property to change.
 */
package dev.gossip.spring.support;
