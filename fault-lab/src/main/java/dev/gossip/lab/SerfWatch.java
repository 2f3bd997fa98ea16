package dev.gossip.lab;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Watches one {@code serf agent} through its RPC port (serf's msgpack IPC: handshake, then
 * {@code members} and {@code stats} every 100 ms) and prints what it sees as {@link ViewLine}s,
 * so a serf host's view is recorded exactly like a lab node's. Serf's RPC shows no incarnation
 * and no suspicion, so those are -1 and plain alive. Exits when the agent goes away.
 *
 * <p>Arguments: {@code --rpc=host:port}.
 */
public final class SerfWatch {

    private final MessagePacker out;
    private final MessageUnpacker in;
    private long seq;

    private SerfWatch(Socket socket) throws IOException {
        this.out = MessagePack.newDefaultPacker(new BufferedOutputStream(socket.getOutputStream()));
        this.in = MessagePack.newDefaultUnpacker(new BufferedInputStream(socket.getInputStream()));
    }

    public static void main(String[] args) throws Exception {
        String rpc = LabNode.parse(args).get("rpc");
        int colon = rpc.lastIndexOf(':');
        Socket socket = connect(rpc.substring(0, colon), Integer.parseInt(rpc.substring(colon + 1)));
        SerfWatch watch = new SerfWatch(socket);
        watch.call("handshake", Map.of("Version", 1));
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        long next = System.currentTimeMillis();
        try {
            while (true) {
                long memberTime = watch.memberTime();
                Map<String, ViewLine.Entry> view = watch.members();
                stdout.println(ViewLine.format(System.currentTimeMillis(), memberTime, view));
                stdout.flush();
                next += 100;
                long sleep = next - System.currentTimeMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                } else {
                    next = System.currentTimeMillis(); // the agent was paused: don't burst to catch up
                }
            }
        } catch (IOException e) {
            System.err.println("serf agent gone: " + e);
            System.exit(0);
        }
    }

    /** The agent may still be opening its RPC port: retry for 15 s. */
    private static Socket connect(String host, int port) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                Socket s = new Socket(host, port);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private Map<String, ViewLine.Entry> members() throws IOException {
        Map<String, ViewLine.Entry> view = new TreeMap<>();
        Map<Value, Value> body = call("members", null).asMapValue().map();
        for (Value v : body.get(key("Members")).asArrayValue()) {
            Map<Value, Value> m = v.asMapValue().map();
            String name = str(m.get(key("Name")));
            String addr = ip(m.get(key("Addr")).asRawValue().asByteArray()) + ":" + m.get(key("Port")).asIntegerValue().asInt();
            view.put(name, new ViewLine.Entry(str(m.get(key("Status"))), -1, addr));
        }
        return view;
    }

    private long memberTime() throws IOException {
        Map<Value, Value> stats = call("stats", null).asMapValue().map();
        Value serf = stats.get(key("serf"));
        Value t = serf == null ? null : serf.asMapValue().map().get(key("member_time"));
        return t == null ? -1 : Long.parseUnsignedLong(str(t));
    }

    /** One request: header {Command, Seq} and an optional body; returns the response body, if any. */
    private Value call(String command, Map<String, Integer> body) throws IOException {
        long s = seq++;
        out.packMapHeader(2).packString("Command").packString(command).packString("Seq").packLong(s);
        if (body != null) {
            out.packMapHeader(body.size());
            for (Map.Entry<String, Integer> e : body.entrySet()) {
                out.packString(e.getKey()).packInt(e.getValue());
            }
        }
        out.flush();
        Map<Value, Value> header = in.unpackValue().asMapValue().map();
        String error = str(header.get(key("Error")));
        if (!error.isEmpty()) {
            throw new IOException("serf RPC " + command + ": " + error);
        }
        return command.equals("handshake") ? null : in.unpackValue();
    }

    private static Value key(String s) {
        return org.msgpack.value.ValueFactory.newString(s);
    }

    private static String str(Value v) {
        return v == null || v.isNilValue() ? "" : v.asRawValue().asString();
    }

    /** net.IP arrives as 4 or 16 bytes; an IPv4-mapped IPv6 address prints as IPv4. */
    private static String ip(byte[] raw) throws IOException {
        if (raw.length == 16 && Arrays.equals(Arrays.copyOf(raw, 12),
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})) {
            raw = Arrays.copyOfRange(raw, 12, 16);
        }
        return InetAddress.getByAddress(raw).getHostAddress();
    }
}
