package dev.gossip.core.interop;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Listens to one serf agent over its RPC and hands every member event to {@link Arrivals}, twice:
 * as the agent's {@code stream} delivers it (after the agent's member-event coalescing: 1 s
 * quiescent, at most 3 s), and as its {@code monitor} delivers the {@code EventMember*} log line
 * serf writes when the member's state changes (before coalescing).
 */
final class SerfEventTap implements AutoCloseable {

    private static final long STREAM_SEQ = 1;
    private static final long MONITOR_SEQ = 2;
    /** serf.go writes "serf: EventMemberJoin: name addr" (and Leave, Failed); "Leave (forced)" is not ours. */
    private static final Pattern LOG_EVENT = Pattern.compile("serf: EventMember(Join|Leave|Failed): (\\S+)");

    private final String observer;
    private final Socket socket;
    private final Arrivals arrivals;

    private SerfEventTap(String observer, Socket socket, Arrivals arrivals) {
        this.observer = observer;
        this.socket = socket;
        this.arrivals = arrivals;
    }

    /** Subscribes, then reads on a daemon thread until the agent goes away or {@link #close()}. */
    static SerfEventTap open(String observer, int rpcPort, Arrivals arrivals) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), rpcPort);
        socket.setTcpNoDelay(true);
        MessagePacker out = MessagePack.newDefaultPacker(new BufferedOutputStream(socket.getOutputStream()));
        MessageUnpacker in = MessagePack.newDefaultUnpacker(new BufferedInputStream(socket.getInputStream()));
        out.packMapHeader(2).packString("Command").packString("handshake").packString("Seq").packLong(0);
        out.packMapHeader(1).packString("Version").packInt(1);
        out.flush();
        String error = SerfRpc.str(SerfRpc.map(in.unpackValue()).get("Error"));
        if (!error.isEmpty()) {
            socket.close();
            throw new IOException("serf RPC handshake: " + error);
        }
        out.packMapHeader(2).packString("Command").packString("stream").packString("Seq").packLong(STREAM_SEQ);
        out.packMapHeader(1).packString("Type").packString("member-join,member-leave,member-failed");
        out.packMapHeader(2).packString("Command").packString("monitor").packString("Seq").packLong(MONITOR_SEQ);
        out.packMapHeader(1).packString("LogLevel").packString("INFO");
        out.flush();
        SerfEventTap tap = new SerfEventTap(observer, socket, arrivals);
        Thread reader = new Thread(() -> tap.read(in), "serf-tap-" + observer);
        reader.setDaemon(true);
        reader.start();
        return tap;
    }

    private void read(MessageUnpacker in) {
        // The first header of a seq is the subscription's answer (the agent registers the stream
        // only after sending it); every later header of that seq is followed by one record.
        Set<Long> answered = new HashSet<>();
        try {
            while (true) {
                Map<String, Value> header = SerfRpc.map(in.unpackValue());
                long seq = header.get("Seq").asIntegerValue().asLong();
                if (answered.add(seq)) {
                    String error = SerfRpc.str(header.get("Error"));
                    if (!error.isEmpty()) {
                        System.err.println("serf RPC subscription " + seq + " of " + observer + ": " + error);
                    }
                    continue;
                }
                Map<String, Value> record = SerfRpc.map(in.unpackValue());
                long now = System.nanoTime();
                if (seq == STREAM_SEQ) {
                    onStreamRecord(record, now);
                } else if (seq == MONITOR_SEQ) {
                    onLogLine(SerfRpc.str(record.get("Log")), now);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the agent was killed, left, or closed: nothing more to hear
        }
    }

    private void onStreamRecord(Map<String, Value> record, long now) {
        Arrivals.Kind kind = switch (SerfRpc.str(record.get("Event"))) {
            case "member-join" -> Arrivals.Kind.JOIN;
            case "member-leave" -> Arrivals.Kind.LEAVE;
            case "member-failed" -> Arrivals.Kind.FAILED;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        for (Value m : record.get("Members").asArrayValue()) {
            arrivals.record(Arrivals.Source.SERF_STREAM, observer, SerfRpc.str(SerfRpc.map(m).get("Name")), kind, now);
        }
    }

    private void onLogLine(String line, long now) {
        Matcher m = LOG_EVENT.matcher(line);
        if (m.find()) {
            Arrivals.Kind kind = Arrivals.Kind.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
            arrivals.record(Arrivals.Source.SERF_LOG, observer, m.group(2), kind, now);
        }
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
