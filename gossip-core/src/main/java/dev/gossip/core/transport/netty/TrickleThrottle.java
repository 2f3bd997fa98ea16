package dev.gossip.core.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes a stream trickled in tiny writes cheap to read, inbound and in replies alike. Each read
 * costs the event loop several microseconds however little it brings, so a peer writing a byte
 * per TCP segment would cost seconds of CPU per MB. After a read of fewer than {@value
 * #FEW_BYTES} bytes the channel stops reading for a pause, while the kernel queues the peer's
 * segments for one later read to take at once. The first pause is {@value #FIRST_PAUSE_MILLIS}
 * ms; each further one on the same stream doubles, up to {@value #MAX_PAUSE_MILLIS} ms, so a
 * peer that keeps trickling gets a few large reads a second. On loopback a stream trickled a byte
 * per write then costs about 30 ms of CPU per MB instead of 650 ({@code
 * NettyTransportTrickleTest}).
 *
 * <p>A message written in one go arrives in segments of an MSS (536 bytes or more), so only a
 * small piece written apart from the rest pauses it, once, for {@value #FIRST_PAUSE_MILLIS} ms. A
 * pause after the message is complete delays nothing: what follows it is ignored. The stream's
 * absolute deadline still applies.
 *
 * <p>Goes first in the pipeline. Runs on the channel's event loop only; closing the channel
 * cancels a pending resume.
 */
final class TrickleThrottle extends ChannelInboundHandlerAdapter {

    /** Below any MSS, so a full segment never pauses. */
    static final int FEW_BYTES = 512;
    static final long FIRST_PAUSE_MILLIS = 10;
    /** A trickled stream still gets about twenty reads within the default 10 s stream timeout. */
    static final long MAX_PAUSE_MILLIS = 640;

    private final TransportCounters counters;
    /** Netty may hand one read to the pipeline in several buffers. */
    private int bytesThisRead;
    private long nextPauseMillis = FIRST_PAUSE_MILLIS;
    private ScheduledFuture<?> resume;

    TrickleThrottle(TransportCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf in) {
            bytesThisRead += in.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        // No bytes: end of stream or a spurious wake-up, nothing that a pause would save.
        if (bytesThisRead > 0 && bytesThisRead < FEW_BYTES && channel.isActive()
                && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
            resume = ctx.executor().schedule(() -> {
                resume = null;
                channel.config().setAutoRead(true); // reads at once
            }, nextPauseMillis, TimeUnit.MILLISECONDS);
            nextPauseMillis = Math.min(MAX_PAUSE_MILLIS, 2 * nextPauseMillis);
            counters.readPaused();
        }
        bytesThisRead = 0;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (resume != null) {
            resume.cancel(false);
            resume = null;
        }
        ctx.fireChannelInactive();
    }
}
