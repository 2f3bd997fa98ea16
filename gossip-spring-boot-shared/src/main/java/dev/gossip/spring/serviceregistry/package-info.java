/**
 * ServiceRegistry, Registration and auto-registration: the application advertises itself as
 * gossip tags, and its status follows the operator, readiness, pause, shutdown and an optional
 * health group.
 */
package dev.gossip.spring.serviceregistry;
