/**
 * The scheduler SPI, the only source of time and execution the protocol code uses, with the
 * real single-threaded implementation; the simulator provides a virtual one.
 */
package dev.gossip.core.time;
