package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits an accepted connection only while fewer than the limit are open, so a flood of
 * connections cannot exhaust memory (each may buffer up to the stream size limit); the rest are
 * closed at once and counted.
 */
final class InboundStreamInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(InboundStreamInitializer.class);

    private final AtomicInteger open = new AtomicInteger();
    private final int maxStreams;
    private final StreamFramer framer;
    private final int maxStreamBytes;
    private final long timeoutNanos;
    private final Transport.Receiver receiver;
    private final TransportCounters counters;
    private final Consumer<Channel> tracker;

    InboundStreamInitializer(int maxStreams, StreamFramer framer, int maxStreamBytes,
                             long timeoutNanos, Transport.Receiver receiver,
                             TransportCounters counters, Consumer<Channel> tracker) {
        this.maxStreams = maxStreams;
        this.framer = framer;
        this.maxStreamBytes = maxStreamBytes;
        this.timeoutNanos = timeoutNanos;
        this.receiver = receiver;
        this.counters = counters;
        this.tracker = tracker;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            counters.drop(TransportDrop.TOO_MANY_STREAMS);
            log.debug("Refusing stream from {}: {} streams already open",
                    channel.remoteAddress(), maxStreams);
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        counters.streamIn();
        tracker.accept(channel);
        channel.pipeline().addLast(new InboundStreamHandler(
                new FrameBuffer(framer, maxStreamBytes), timeoutNanos, receiver, counters));
    }

    /** Streams currently open. */
    int openStreams() {
        return open.get();
    }
}
