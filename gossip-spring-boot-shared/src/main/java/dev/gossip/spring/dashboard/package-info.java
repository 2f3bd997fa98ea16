/**
 * The optional live cluster dashboard page.
 */
package dev.gossip.spring.dashboard;
