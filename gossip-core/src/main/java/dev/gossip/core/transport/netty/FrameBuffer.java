package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.StreamFramer.MalformedStreamException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Collects the bytes of one stream, up to a limit, in a heap array the {@link StreamFramer} can
 * walk directly. Used by one channel on its event loop only, so it is not thread-safe.
 *
 * <p>The framer is asked again after every read: memberlist streams carry no length prefix, so
 * only the framer can tell when a message is complete. It is this stream's {@link
 * StreamFramer.Cursor}, which resumes where it stopped instead of walking the whole buffer again.
 */
final class FrameBuffer {

    private static final int INITIAL_CAPACITY = 1024;

    /** This stream's own framer, so that each read costs only the bytes it brought. */
    private final StreamFramer.Cursor framer;
    private final int maxBytes;
    private byte[] bytes = new byte[0];
    private int length;
    private boolean truncated;

    FrameBuffer(StreamFramer framer, int maxBytes) {
        this.framer = framer.newCursor();
        this.maxBytes = maxBytes;
    }

    /**
     * Appends what {@code in} holds, as far as the limit allows; the rest is discarded and
     * remembered, so that an incomplete message at the limit is reported as oversize.
     */
    void append(ByteBuf in) {
        int room = maxBytes - length;
        int take = Math.min(in.readableBytes(), room);
        if (take < in.readableBytes()) {
            truncated = true;
        }
        ensureCapacity(length + take);
        in.readBytes(bytes, length, take);
        length += take;
    }

    private void ensureCapacity(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        // Doubling keeps copying linear; the cap keeps a hostile length from reserving more.
        long doubled = Math.max(INITIAL_CAPACITY, 2L * bytes.length);
        int capacity = (int) Math.min(maxBytes, Math.max(needed, doubled));
        bytes = Arrays.copyOf(bytes, capacity);
    }

    /**
     * @return a copy of the first complete message, or {@code null} when more bytes are needed
     * @throws MalformedStreamException when the framer rejects the bytes or answers nonsense
     */
    byte[] poll() throws MalformedStreamException {
        if (length == 0) {
            return null;
        }
        int frame = framer.frameLength(bytes, 0, length);
        if (frame == StreamFramer.NEED_MORE) {
            return null;
        }
        if (frame <= 0 || frame > length) {
            throw new MalformedStreamException(
                    "framer answered " + frame + " for " + length + " buffered bytes");
        }
        return Arrays.copyOf(bytes, frame);
    }

    /**
     * @return true when bytes beyond the limit were discarded; if {@link #poll()} then finds no
     *     complete message, the message is too large
     */
    boolean truncated() {
        return truncated;
    }

    int maxBytes() {
        return maxBytes;
    }
}
