/**
 * The processes of the fault lab, each run inside a network namespace: a plain gossip-core node
 * and a watcher of a {@code serf agent}, both printing their view of the cluster every 100 ms.
 */
package dev.gossip.lab;
