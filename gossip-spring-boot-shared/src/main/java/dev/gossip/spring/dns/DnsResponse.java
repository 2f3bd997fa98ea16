package dev.gossip.spring.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a response to a {@link DnsQuery}: the header with AA set and RD copied, the question
 * echoed, then whole records while they fit in what the client can take. An answer that does not
 * fit sets TC (RFC 1035 4.1.1) and ends the message; additional records that do not fit are left
 * out without TC (RFC 2181 9: they are optional).
 */
final class DnsResponse {

    /** An OPT record with the root name and no options (RFC 6891 6.1.2). */
    private static final int OPT_SIZE = 11;

    private final byte[] buf;
    private final int limit;
    private int pos;
    /** Names written so far (see {@link #key}) and their offsets, for compression (RFC 1035 4.1.4). */
    private final Map<String, Integer> names = new HashMap<>();
    private final List<String> namesInOrder = new ArrayList<>();

    /** The largest record: owner and target names of 255 bytes, fixed fields, SRV's rdata. */
    private static final int MAX_RECORD = 2 * Dns.MAX_NAME + 10 + 6;

    private DnsResponse(int limit) {
        this.limit = limit;
        this.buf = new byte[limit + MAX_RECORD]; // a record may overrun the limit before we check
    }

    /** What the client can take: 512 bytes, or its EDNS0 offer up to {@link Dns#MAX_UDP}. */
    static int sizeFor(DnsQuery q) {
        return q.udpPayload() == 0 ? Dns.CLASSIC_UDP : Math.min(q.udpPayload(), Dns.MAX_UDP);
    }

    /** The response carrying only {@code q.error()}, or {@code rcode} and these records. */
    static byte[] write(DnsQuery q, Dns.Rcode rcode, List<DnsRecord> answers, List<DnsRecord> additional) {
        DnsResponse w = new DnsResponse(sizeFor(q));
        int room = w.limit - (q.udpPayload() > 0 ? OPT_SIZE : 0);
        w.pos = Dns.HEADER;
        boolean question = q.error() == null;
        if (question) {
            w.name(q.name(), true);
            w.u16(q.type());
            w.u16(q.qclass());
        }
        int an = 0;
        boolean truncated = false;
        for (DnsRecord r : answers) {
            if (!w.tryRecord(r, room)) {
                truncated = true;
                break;
            }
            an++;
        }
        int ar = 0;
        if (!truncated) {
            for (DnsRecord r : additional) {
                if (!w.tryRecord(r, room)) {
                    break;
                }
                ar++;
            }
        }
        if (q.udpPayload() > 0) { // echo an OPT with our own size (RFC 6891 6.1.1, 6.2.3)
            w.buf[w.pos++] = 0;
            w.u16(Dns.TYPE_OPT);
            w.u16(Dns.MAX_UDP);
            w.u32(0);
            w.u16(0);
            ar++;
        }
        int flags = Dns.FLAG_QR | (q.opcode() << 11) | Dns.FLAG_AA | (truncated ? Dns.FLAG_TC : 0)
                | (q.recursionDesired() ? Dns.FLAG_RD : 0) | (q.error() != null ? q.error() : rcode).code;
        int end = w.pos;
        w.pos = 0;
        w.u16(q.id());
        w.u16(flags);
        w.u16(question ? 1 : 0);
        w.u16(an);
        w.u16(0);
        w.u16(ar);
        byte[] out = new byte[end];
        System.arraycopy(w.buf, 0, out, 0, end);
        return out;
    }

    /** Writes {@code r} if it fits below {@code room}; otherwise leaves the message as it was. */
    private boolean tryRecord(DnsRecord r, int room) {
        int start = pos;
        int known = namesInOrder.size();
        try {
            record(r, room);
            return true;
        } catch (Full e) {
            pos = start;
            while (namesInOrder.size() > known) {
                names.remove(namesInOrder.remove(namesInOrder.size() - 1));
            }
            return false;
        }
    }

    private void record(DnsRecord r, int room) throws Full {
        name(r.name(), true);
        u16(r.type());
        u16(Dns.CLASS_IN);
        u32(r.ttl());
        int lengthAt = pos;
        pos += 2;
        if (r.address() != null) {
            byte[] a = r.address().getAddress();
            System.arraycopy(a, 0, buf, pos, a.length);
            pos += a.length;
        } else {
            u16(r.priority());
            u16(r.weight());
            u16(r.port());
            name(r.target(), false); // RFC 2782: the target is never compressed
        }
        if (pos > room) {
            throw new Full();
        }
        int length = pos - lengthAt - 2;
        buf[lengthAt] = (byte) (length >> 8);
        buf[lengthAt + 1] = (byte) length;
    }

    /**
     * Writes a name, as a pointer to an earlier copy of its longest known suffix when
     * {@code compress}; either way its suffixes become known for later names.
     */
    private void name(List<String> labels, boolean compress) {
        for (int i = 0; i < labels.size(); i++) {
            String suffix = key(labels, i);
            Integer at = names.get(suffix);
            if (compress && at != null) {
                u16(0xC000 | at);
                return;
            }
            if (at == null && pos < 0x4000) { // a pointer has 14 bits
                names.put(suffix, pos);
                namesInOrder.add(suffix);
            }
            byte[] label = labels.get(i).getBytes(StandardCharsets.ISO_8859_1);
            buf[pos++] = (byte) label.length;
            System.arraycopy(label, 0, buf, pos, label.length);
            pos += label.length;
        }
        buf[pos++] = 0;
    }

    /** The labels from {@code from} on, lower case, each after its length: a label may hold any byte, even a dot. */
    private static String key(List<String> labels, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < labels.size(); i++) {
            sb.append((char) labels.get(i).length()).append(Dns.lower(labels.get(i)));
        }
        return sb.toString();
    }

    private void u16(int v) {
        buf[pos++] = (byte) (v >> 8);
        buf[pos++] = (byte) v;
    }

    private void u32(long v) {
        u16((int) (v >> 16) & 0xFFFF);
        u16((int) v & 0xFFFF);
    }

    /** The record went past the room left for it. */
    private static final class Full extends Exception {
        Full() {
            super(null, null, false, false);
        }
    }
}
