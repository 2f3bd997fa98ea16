package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an inbound stream from any thread. Only the first answer counts: a second one would
 * write to a stream that is already closing.
 */
final class ChannelStreamReply implements Transport.StreamReply {

    private static final Logger log = LoggerFactory.getLogger(ChannelStreamReply.class);

    private final Channel channel;
    private final AtomicBoolean answered = new AtomicBoolean();

    ChannelStreamReply(Channel channel) {
        this.channel = channel;
    }

    /** Writes {@code message} (not copied: do not change it afterwards), then closes. */
    @Override
    public void reply(byte[] message) {
        if (!answered.compareAndSet(false, true)) {
            log.debug("Ignoring a second answer on the stream from {}", channel.remoteAddress());
            return;
        }
        if (!channel.isActive()) {
            // Closed by the deadline, the peer or shutdown; writing would only fail (loudly, on a
            // terminated event loop).
            log.debug("Not answering the stream from {}: already closed", channel.remoteAddress());
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(message))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        if (answered.compareAndSet(false, true) && channel.isOpen()) {
            channel.close();
        }
    }
}
