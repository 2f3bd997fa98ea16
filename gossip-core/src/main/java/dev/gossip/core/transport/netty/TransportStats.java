package dev.gossip.core.transport.netty;

/**
 * A snapshot of {@link NettyTransport}'s counters, all monotonic since start, for metrics.
 *
 * @param packetsSent datagrams the OS accepted
 * @param packetBytesSent payload bytes of those datagrams
 * @param packetsReceived datagrams delivered to the receiver
 * @param packetBytesReceived payload bytes of those datagrams
 * @param streamsIn inbound TCP connections accepted (not counting those refused by the limit)
 * @param streamsOut outbound requests attempted
 * @param streamReadPauses times a stream, inbound or a reply, was left unread for a moment
 *     because a read brought only a few bytes: many mean a peer trickling its streams
 * @param droppedOversize streams (inbound, or replies to our requests) longer than the size limit
 * @param droppedMalformed streams the framer rejected
 * @param droppedTooManyStreams inbound connections closed because every slot open to them was taken
 * @param droppedTooManyStreamsFromSource inbound connections closed because their non-member IP
 *     held its share of slots
 * @param droppedTimeout inbound streams that outlived the stream timeout, and requests that timed out
 * @param droppedSendFailure datagrams the OS refused, and requests that failed to connect, write or read
 * @param droppedNotEncrypted streams refused on their first byte: plaintext to a node with keys
 */
public record TransportStats(
        long packetsSent,
        long packetBytesSent,
        long packetsReceived,
        long packetBytesReceived,
        long streamsIn,
        long streamsOut,
        long streamReadPauses,
        long droppedOversize,
        long droppedMalformed,
        long droppedTooManyStreams,
        long droppedTooManyStreamsFromSource,
        long droppedTimeout,
        long droppedSendFailure,
        long droppedNotEncrypted) {
}
