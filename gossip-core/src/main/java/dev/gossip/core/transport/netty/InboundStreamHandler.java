package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer.MalformedStreamException;
import dev.gossip.core.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one framed message from an inbound stream and hands it to the receiver with a way to
 * answer. Bytes after the message are ignored.
 *
 * <p>The stream gets an absolute deadline, as memberlist's {@code TCPTimeout}: one to deliver the
 * message, then a fresh one for the receiver's answer to be written. An idle timeout would not do:
 * a peer trickling one byte a second would hold its slot forever. {@link TrickleThrottle}, ahead of
 * this handler, keeps a stream trickled in tiny writes from costing one read per segment.
 */
final class InboundStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(InboundStreamHandler.class);

    private final long timeoutNanos;
    private final Transport.Receiver receiver;
    private final TransportCounters counters;
    /** Null once the message has been delivered. */
    private FrameBuffer frames;
    private ScheduledFuture<?> deadline;

    InboundStreamHandler(FrameBuffer frames, long timeoutNanos, Transport.Receiver receiver,
                         TransportCounters counters) {
        this.frames = frames;
        this.timeoutNanos = timeoutNanos;
        this.receiver = receiver;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armDeadline(ctx, "no complete message");
        ctx.fireChannelActive();
    }

    private void armDeadline(ChannelHandlerContext ctx, String what) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = ctx.executor().schedule(() -> {
            counters.drop(TransportDrop.TIMEOUT);
            log.debug("Closing stream from {}: {} within {} ms", ctx.channel().remoteAddress(),
                    what, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (frames == null || !(msg instanceof ByteBuf in)) {
                return;
            }
            frames.append(in);
            byte[] message = frames.poll();
            if (message == null) {
                if (frames.truncated()) {
                    drop(ctx, TransportDrop.OVERSIZE,
                            "longer than " + frames.maxBytes() + " bytes");
                }
                return;
            }
            frames = null;
            armDeadline(ctx, "no answer written");
            InetSocketAddress from = (InetSocketAddress) ctx.channel().remoteAddress();
            receiver.onStream(message, from, new ChannelStreamReply(ctx.channel()));
        } catch (MalformedStreamException e) {
            drop(ctx, TransportDrop.of(e), e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void drop(ChannelHandlerContext ctx, TransportDrop reason, String why) {
        frames = null;
        counters.drop(reason);
        log.debug("Closing stream from {}: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Typically a reset by the peer: nothing to answer, nobody to tell.
        log.debug("Stream from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
