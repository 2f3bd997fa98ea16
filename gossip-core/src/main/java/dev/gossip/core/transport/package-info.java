/**
 * The transport SPI: datagrams and framed streams to and from addresses. The protocol code
 * never touches sockets directly.
 */
package dev.gossip.core.transport;
