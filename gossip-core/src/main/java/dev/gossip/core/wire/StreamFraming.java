package dev.gossip.core.wire;

import dev.gossip.core.transport.StreamFramer;

/**
 * Finds the end of one memberlist stream message (§6.1) without decoding it: encrypted frames
 * carry a length; everything else is walked as msgpack (a type byte, then the values the type
 * implies, then any raw tail the header announces). Each stream gets its own {@link StreamCursor},
 * so a message trickling in costs work linear in its length.
 */
public final class StreamFraming implements StreamFramer {

    private final int maxBytes;
    private final boolean encryptionRequired;

    /** Frames plaintext and encrypted messages alike. */
    public StreamFraming(int maxBytes) {
        this(maxBytes, false);
    }

    /**
     * @param encryptionRequired the node has keys: anything but an encrypted message is refused
     *     on its first byte ({@link #NOT_ENCRYPTED}), as memberlist's {@code net.go:readStream}
     *     refuses it after reading the whole message
     */
    public StreamFraming(int maxBytes, boolean encryptionRequired) {
        this.maxBytes = maxBytes;
        this.encryptionRequired = encryptionRequired;
    }

    @Override
    public int frameLength(byte[] buf, int off, int len) throws MalformedStreamException {
        return newCursor().frameLength(buf, off, len);
    }

    @Override
    public Cursor newCursor() {
        return new StreamCursor(maxBytes, encryptionRequired);
    }
}
