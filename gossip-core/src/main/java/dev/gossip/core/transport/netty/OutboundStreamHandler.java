package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer.MalformedStreamException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/** Reads the one framed reply to an outbound request, with the same framer and limit as inbound. */
final class OutboundStreamHandler extends ChannelInboundHandlerAdapter {

    private final OutboundRequest request;
    private final FrameBuffer frames;

    OutboundStreamHandler(OutboundRequest request, FrameBuffer frames) {
        this.request = request;
        this.frames = frames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (request.isDone() || !(msg instanceof ByteBuf in)) {
                return;
            }
            frames.append(in);
            byte[] reply = frames.poll();
            if (reply != null) {
                request.succeed(reply);
            } else if (frames.truncated()) {
                request.fail(new IOException("Reply from " + request.to() + " is longer than "
                        + frames.maxBytes() + " bytes"), TransportDrop.OVERSIZE);
            }
        } catch (MalformedStreamException e) {
            request.fail(e, TransportDrop.of(e));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A no-op when we closed it ourselves after finishing.
        request.fail(new IOException("Stream to " + request.to()
                + " closed before a complete reply"), TransportDrop.SEND_FAILURE);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        request.fail(cause, TransportDrop.SEND_FAILURE);
    }
}
