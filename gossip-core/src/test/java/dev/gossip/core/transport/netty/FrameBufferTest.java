package dev.gossip.core.transport.netty;

import static dev.gossip.core.transport.netty.LengthPrefixFramer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.transport.StreamFramer;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameBufferTest {

    @Test
    void waitsForTheWholeMessageAcrossAppends() throws Exception {
        FrameBuffer frames = new FrameBuffer(new LengthPrefixFramer(), 1 << 20);
        byte[] message = frame(new byte[3000]);

        frames.append(Unpooled.wrappedBuffer(message, 0, 2));
        assertThat(frames.poll()).isNull();
        frames.append(Unpooled.wrappedBuffer(message, 2, 2000));
        assertThat(frames.poll()).isNull();
        frames.append(Unpooled.wrappedBuffer(message, 2002, message.length - 2002));

        assertThat(frames.poll()).isEqualTo(message);
        assertThat(frames.truncated()).isFalse();
    }

    @Test
    void returnsOnlyTheFirstMessage() throws Exception {
        FrameBuffer frames = new FrameBuffer(new LengthPrefixFramer(), 1024);
        byte[] first = frame("one");
        byte[] both = Arrays.copyOf(first, first.length + 7);
        System.arraycopy(frame("two"), 0, both, first.length, 7);

        frames.append(Unpooled.wrappedBuffer(both));

        assertThat(frames.poll()).isEqualTo(first);
    }

    @Test
    void keepsNoMoreThanTheLimit() throws Exception {
        FrameBuffer frames = new FrameBuffer(new LengthPrefixFramer(), 100);

        frames.append(Unpooled.wrappedBuffer(frame(new byte[200])));

        assertThat(frames.poll()).isNull();
        assertThat(frames.truncated()).isTrue();
    }

    @Test
    void completeMessageWinsOverTrailingBytesBeyondTheLimit() throws Exception {
        FrameBuffer frames = new FrameBuffer(new LengthPrefixFramer(), 10);
        byte[] message = frame("abc");

        frames.append(Unpooled.wrappedBuffer(Arrays.copyOf(message, 50)));

        assertThat(frames.poll()).isEqualTo(message);
    }

    @Test
    void nonsenseFromTheFramerIsMalformed() {
        FrameBuffer frames = new FrameBuffer((buf, off, len) -> len + 1, 100);
        frames.append(Unpooled.wrappedBuffer(new byte[] {1, 2}));

        assertThatThrownBy(frames::poll).isInstanceOf(StreamFramer.MalformedStreamException.class);
    }
}
