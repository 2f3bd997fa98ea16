package dev.gossip.core.sim;

import dev.gossip.core.transport.Transport.StreamReply;
import java.io.IOException;

/**
 * The server's side of one simulated stream that expects a reply. The first of reply, close or
 * the server shutting down wins; the outcome travels back to the caller like any other segment.
 */
final class InboundStream implements StreamReply {

    private final SimulatedTransport server;
    private final StreamCall call;
    private boolean open = true;

    InboundStream(SimulatedTransport server, StreamCall call) {
        this.server = server;
        this.call = call;
    }

    @Override
    public void reply(byte[] message) {
        if (finish()) {
            byte[] copy = message.clone();
            server.sendBack(call, () -> call.succeed(copy));
        }
    }

    @Override
    public void close() {
        if (finish()) {
            IOException cause = new IOException(
                    "stream closed by " + server.localAddress() + " without a reply");
            server.sendBack(call, () -> call.fail(cause));
        }
    }

    /** The server shut down with this stream open: the caller sees the connection reset. */
    void reset() {
        if (finish()) {
            IOException cause = new IOException(
                    "connection reset: " + server.localAddress() + " shut down");
            server.sendBack(call, () -> call.fail(cause));
        }
    }

    private boolean finish() {
        if (!open) {
            return false;
        }
        open = false;
        server.forget(this);
        return true;
    }
}
