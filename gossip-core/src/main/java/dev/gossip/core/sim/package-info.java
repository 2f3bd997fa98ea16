/**
 * Deterministic simulation substrate: one virtual clock ({@link dev.gossip.core.sim.VirtualTime})
 * drives every simulated node's {@link dev.gossip.core.time.Scheduler}, and a
 * {@link dev.gossip.core.sim.SimulatedNetwork} carries their packets and streams with seeded
 * latency, loss and partitions.
 *
 * <p>Everything here runs on the caller's thread and draws randomness only from the seed it was
 * given, so one seed always replays the same trace. Nothing reads the wall clock or opens sockets.
 */
package dev.gossip.core.sim;
