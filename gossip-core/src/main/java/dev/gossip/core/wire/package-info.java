/**
 * Messages as bytes, as Go's go-msgpack and memberlist write them (docs/protocol.md): encoders,
 * decoders that bound every size and count, compound and CRC framing, Go-compatible LZW, stream
 * framing.
 */
package dev.gossip.core.wire;
