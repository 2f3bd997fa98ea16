package dev.gossip.core.rpc;

import dev.gossip.core.Member;
import dev.gossip.core.coordinate.Coordinate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Encodes responses and stream records as serf's RPC handle does (serf ipc.go uses
 * {@code MsgpackHandle{WriteExt: true}}): strings as str (str8 allowed), []byte as bin, structs as
 * maps keyed by Go field names. One instance builds one frame: a header and an optional body.
 */
final class ResponseWriter {

    private final MessageBufferPacker p = MessagePack.newDefaultBufferPacker();

    /**
     * A frame with header {@code {Error, Seq}}. Keys are written sorted by name throughout, as the
     * serf binary's encoder does (seen on the wire: {@code 82 a5 Error .. a3 Seq ..}).
     */
    static ResponseWriter header(long seq, String error) {
        ResponseWriter w = new ResponseWriter();
        w.map(2).str("Error").str(error == null ? "" : error).str("Seq").uint(seq);
        return w;
    }

    ResponseWriter map(int n) {
        return io(() -> p.packMapHeader(n));
    }

    ResponseWriter array(int n) {
        return io(() -> p.packArrayHeader(n));
    }

    ResponseWriter str(String s) {
        return io(() -> p.packString(s == null ? "" : s));
    }

    /** A Go []byte: bin, or nil for null. */
    ResponseWriter bin(byte[] b) {
        return io(() -> {
            if (b == null) {
                p.packNil();
            } else {
                p.packBinaryHeader(b.length);
                p.writePayload(b);
            }
        });
    }

    ResponseWriter uint(long v) {
        return io(() -> p.packLong(v));
    }

    ResponseWriter bool(boolean v) {
        return io(() -> p.packBoolean(v));
    }

    ResponseWriter dbl(double v) {
        return io(() -> p.packDouble(v));
    }

    ResponseWriter stringMap(Map<String, String> m) {
        map(m.size());
        m.forEach((k, v) -> str(k).str(v));
        return this;
    }

    /** serf ipc.go's Member: Addr as bin (4 or 16 bytes), Status as serf's name for it. */
    ResponseWriter member(Member m) {
        map(11).str("Addr").bin(m.address().getAddress())
                .str("DelegateCur").uint(m.delegateCur()).str("DelegateMax").uint(m.delegateMax())
                .str("DelegateMin").uint(m.delegateMin()).str("Name").str(m.name()).str("Port").uint(m.port())
                .str("ProtocolCur").uint(m.protocolCur()).str("ProtocolMax").uint(m.protocolMax())
                .str("ProtocolMin").uint(m.protocolMin()).str("Status").str(m.status().serfName())
                .str("Tags").stringMap(m.tags());
        return this;
    }

    ResponseWriter members(List<Member> members) {
        array(members.size());
        members.forEach(this::member);
        return this;
    }

    /** serf coordinate.Coordinate; the zero value (Vec nil) when {@code c} is null. */
    ResponseWriter coordinate(Coordinate c) {
        map(4).str("Adjustment").dbl(c == null ? 0 : c.adjustment()).str("Error").dbl(c == null ? 0 : c.error())
                .str("Height").dbl(c == null ? 0 : c.height()).str("Vec");
        if (c == null) {
            return io(p::packNil);
        }
        array(c.vec().length);
        for (double d : c.vec()) {
            dbl(d);
        }
        return this;
    }

    byte[] toByteArray() {
        return p.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private ResponseWriter io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer packer does not do I/O
        }
        return this;
    }
}
