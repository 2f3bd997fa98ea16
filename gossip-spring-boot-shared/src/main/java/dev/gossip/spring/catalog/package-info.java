/**
 * The catalog API (docs/catalog.md): this member's view of the services over HTTP and
 * server-sent events, for clients that do not join the gossip cluster.
 */
package dev.gossip.spring.catalog;
