package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each received datagram to the receiver as a byte array of its own. */
final class PacketHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(PacketHandler.class);

    private final Transport.Receiver receiver;
    private final TransportCounters counters;

    PacketHandler(Transport.Receiver receiver, TransportCounters counters) {
        this.receiver = receiver;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        // Copy: the buffer goes back to the pool when we return, the node keeps the bytes longer.
        byte[] bytes = ByteBufUtil.getBytes(packet.content());
        counters.packetReceived(bytes.length);
        receiver.onPacket(bytes, packet.sender());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // One failed read must not stop the UDP socket, so the channel stays open.
        log.debug("UDP read failed on {}", ctx.channel().localAddress(), cause);
    }
}
