package dev.gossip.core.interop;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * A synchronous client of one serf agent's RPC (serf's msgpack IPC, protocol version 1): each
 * request is a header {@code {Command, Seq}} and maybe a body; each response a header
 * {@code {Seq, Error}} and, for commands that return something, a body. One request at a time.
 */
final class SerfRpc implements AutoCloseable {

    private final Socket socket;
    private final MessagePacker out;
    private final MessageUnpacker in;
    private long seq;

    private SerfRpc(Socket socket) throws IOException {
        this.socket = socket;
        this.out = MessagePack.newDefaultPacker(new BufferedOutputStream(socket.getOutputStream()));
        this.in = MessagePack.newDefaultUnpacker(new BufferedInputStream(socket.getInputStream()));
    }

    /** Connects to 127.0.0.1:{@code rpcPort} and shakes hands. */
    static SerfRpc connect(int rpcPort) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), rpcPort);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000); // a hung agent fails the run instead of hanging the benchmark
        SerfRpc rpc = new SerfRpc(socket);
        try {
            rpc.handshake();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return rpc;
    }

    /** {@code handshake} {Version: 1}: must be the first request on every connection. */
    void handshake() throws IOException {
        header("handshake");
        out.packMapHeader(1).packString("Version").packInt(1);
        out.flush();
        readHeader("handshake");
    }

    /** {@code join} {Existing, Replay: false}; returns how many of the addresses answered (Num). */
    int join(String address) throws IOException {
        header("join");
        out.packMapHeader(2)
                .packString("Existing").packArrayHeader(1).packString(address)
                .packString("Replay").packBoolean(false);
        out.flush();
        String error = readHeaderError();
        Map<String, Value> body = map(in.unpackValue());
        if (!error.isEmpty()) {
            throw new IOException("serf RPC join: " + error);
        }
        return body.get("Num").asIntegerValue().asInt();
    }

    /** {@code leave}: the agent leaves gracefully, answers, then shuts down. Blocks until it answered. */
    void leave() throws IOException {
        header("leave");
        out.flush();
        readHeader("leave");
    }

    /** {@code members}: name → Status ("alive", "leaving", "left", "failed"). */
    Map<String, String> members() throws IOException {
        header("members");
        out.flush();
        readHeader("members");
        Map<String, String> statuses = new HashMap<>();
        for (Value v : map(in.unpackValue()).get("Members").asArrayValue()) {
            Map<String, Value> m = map(v);
            statuses.put(str(m.get("Name")), str(m.get("Status")));
        }
        return statuses;
    }

    private void header(String command) throws IOException {
        out.packMapHeader(2).packString("Command").packString(command).packString("Seq").packLong(seq++);
    }

    private void readHeader(String command) throws IOException {
        String error = readHeaderError();
        if (!error.isEmpty()) {
            throw new IOException("serf RPC " + command + ": " + error);
        }
    }

    private String readHeaderError() throws IOException {
        return str(map(in.unpackValue()).get("Error"));
    }

    /** A msgpack map with string keys (serf writes them as raw strings). */
    static Map<String, Value> map(Value v) {
        Map<String, Value> m = new HashMap<>();
        v.asMapValue().map().forEach((k, val) -> m.put(k.asRawValue().asString(), val));
        return m;
    }

    static String str(Value v) {
        return v == null || v.isNilValue() ? "" : v.asRawValue().asString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
