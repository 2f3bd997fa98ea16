/**
 * Helpers for tests that start several Spring apps in one JVM as cluster members: launcher,
 * greeter, traffic loop, crash and teardown.
 */
package dev.gossip.testsupport;
