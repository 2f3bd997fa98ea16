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

    /** {@link MalformedStreamException#reason()} of plaintext sent to a node that has keys. */
    String NOT_ENCRYPTED = "not-encrypted";

    /**
     * @return the length of the first complete message in {@code buf[off, off+len)}, or
     *     {@link #NEED_MORE}
     * @throws MalformedStreamException when the bytes cannot start a valid message or it would
     *     exceed the size limit
     */
    int frameLength(byte[] buf, int off, int len) throws MalformedStreamException;

    /**
     * A framer for one stream, which the transport asks again after every read. The default asks
     * {@link #frameLength} from the start each time: fine for a framer that only looks at a
     * bounded prefix, quadratic for one that walks the message; such a framer overrides this.
     */
    default Cursor newCursor() {
        return this::frameLength;
    }

    /**
     * Frames one stream, resuming where the previous call stopped. Each call passes the bytes of
     * the previous call, unchanged and at the same offset, plus any that arrived since; the array
     * may be a new copy.
     */
    @FunctionalInterface
    interface Cursor {

        /** As {@link StreamFramer#frameLength}, for the bytes of this stream so far. */
        int frameLength(byte[] buf, int off, int len) throws MalformedStreamException;
    }

    /** The stream cannot be a valid message; the transport closes it and counts a drop. */
    final class MalformedStreamException extends Exception {

        private final String reason;

        public MalformedStreamException(String message) {
            this("malformed", message);
        }

        /** @param reason why, for the drop counters, e.g. {@link #NOT_ENCRYPTED} */
        public MalformedStreamException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
