package dev.gossip.core.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of a stream we open: the trickle throttle first (a peer answering in tiny pieces
 * costs what a trickling client does), then the reader of the one framed reply.
 */
final class OutboundStreamInitializer extends ChannelInitializer<Channel> {

    private final TransportCounters counters;
    private final OutboundRequest request;
    private final FrameBuffer frames;

    OutboundStreamInitializer(TransportCounters counters, OutboundRequest request, FrameBuffer frames) {
        this.counters = counters;
        this.request = request;
        this.frames = frames;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new TrickleThrottle(counters), new OutboundStreamHandler(request, frames));
    }
}
