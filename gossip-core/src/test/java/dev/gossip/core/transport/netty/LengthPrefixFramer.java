package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Test framer: a 4-byte big-endian length, then that many bytes. A negative length is malformed. */
final class LengthPrefixFramer implements StreamFramer {

    @Override
    public int frameLength(byte[] buf, int off, int len) throws MalformedStreamException {
        if (len < 4) {
            return NEED_MORE;
        }
        int body = ByteBuffer.wrap(buf, off, 4).getInt();
        if (body < 0) {
            throw new MalformedStreamException("negative length " + body);
        }
        return len - 4 >= body ? 4 + body : NEED_MORE;
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static byte[] frame(String body) {
        return frame(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static byte[] body(byte[] framed) {
        return Arrays.copyOfRange(framed, 4, framed.length);
    }
}
