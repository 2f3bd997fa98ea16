package dev.gossip.core.transport;

/**
 * Finds where one message ends on a stream. memberlist streams carry no length prefix (unless
 * encrypted), so the end is found by walking the msgpack structure; the transport stays ignorant
 * of the protocol and just asks.
 */
@FunctionalInterface
public interface StreamFramer {

    /** Returned by {@link #frameLength} when more bytes are needed. */
    int NEED_MORE = -1;

    /**
     * @return the length of the first complete message in {@code buf[off, off+len)}, or
     *     {@link #NEED_MORE}
     * @throws MalformedStreamException when the bytes cannot start a valid message or it would
     *     exceed the size limit
     */
    int frameLength(byte[] buf, int off, int len) throws MalformedStreamException;

    /** The stream cannot be a valid message; the transport closes it and counts a drop. */
    final class MalformedStreamException extends Exception {
        public MalformedStreamException(String message) {
            super(message, null, false, false);
        }
    }
}
