package dev.gossip.spring.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded query. {@code error} is set instead of the question when the header was readable but
 * the rest was not what we answer: the response then carries only that code.
 *
 * @param name the question's labels as sent (case kept, for the echo); empty when {@code error} is set
 * @param udpPayload the EDNS0 payload size the client offered (RFC 6891 6.2.3), or 0 without an OPT record
 */
record DnsQuery(int id, int opcode, boolean recursionDesired, List<String> name, int type, int qclass,
                int udpPayload, Dns.Rcode error) {

    /** Most compression pointers followed in one name: a name has at most 127 labels. */
    private static final int MAX_JUMPS = 127;

    /**
     * Decodes a query (RFC 1035 4.1). Never throws anything but {@link DnsDropException}, for a
     * datagram that gets no answer; everything else becomes a query with {@code error} set.
     */
    static DnsQuery decode(byte[] b, int len) throws DnsDropException {
        if (len < Dns.HEADER) {
            throw new DnsDropException("short");
        }
        int id = u16(b, 0);
        int flags = u16(b, 2);
        if ((flags & Dns.FLAG_QR) != 0) {
            throw new DnsDropException("response");
        }
        int opcode = (flags >> 11) & 0xF;
        boolean rd = (flags & Dns.FLAG_RD) != 0;
        if (opcode != Dns.OPCODE_QUERY) {
            return failed(id, opcode, rd, 0, Dns.Rcode.NOTIMP);
        }
        if (u16(b, 4) != 1) { // RFC 9619: a query has exactly one question
            return failed(id, opcode, rd, 0, Dns.Rcode.FORMERR);
        }
        int[] pos = {Dns.HEADER};
        int payload = 0;
        try {
            List<String> name = readName(b, len, pos);
            int type = u16(b, need(b, len, pos, 2));
            int qclass = u16(b, need(b, len, pos, 2));
            int skipped = u16(b, 6) + u16(b, 8); // answer and authority records: none in a query, but skip them
            for (int i = 0; i < skipped; i++) {
                readName(b, len, pos);
                need(b, len, pos, 8);
                need(b, len, pos, u16(b, need(b, len, pos, 2)));
            }
            int additional = u16(b, 10);
            for (int i = 0; i < additional; i++) {
                boolean root = readName(b, len, pos).isEmpty();
                int at = need(b, len, pos, 10);
                need(b, len, pos, u16(b, at + 8));
                if (u16(b, at) == Dns.TYPE_OPT) {
                    if (payload != 0 || !root) { // RFC 6891 6.1.1: one OPT, owned by the root
                        return failed(id, opcode, rd, Math.max(payload, Dns.CLASSIC_UDP), Dns.Rcode.FORMERR);
                    }
                    payload = Math.max(u16(b, at + 2), Dns.CLASSIC_UDP); // 6.2.5: below 512 means 512
                }
            }
            return new DnsQuery(id, opcode, rd, name, type, qclass, payload, null);
        } catch (Malformed e) {
            return failed(id, opcode, rd, payload, Dns.Rcode.FORMERR);
        }
    }

    private static DnsQuery failed(int id, int opcode, boolean rd, int payload, Dns.Rcode error) {
        return new DnsQuery(id, opcode, rd, List.of(), 0, 0, payload, error);
    }

    /**
     * Reads a possibly compressed name (RFC 1035 4.1.4) at {@code pos[0]}, leaving {@code pos[0]}
     * after it. Each pointer must point before the start of the run of labels it ends (an earlier
     * name can only point further back), so the targets fall strictly and no loop is possible; the
     * jump count and the 255-byte name limit bound the work anyway.
     */
    static List<String> readName(byte[] b, int len, int[] pos) throws Malformed {
        List<String> labels = new ArrayList<>();
        int p = pos[0];
        int run = p; // where the current run of labels began
        int end = -1; // where the name ends in the message: after the first pointer
        int jumps = 0;
        int wire = 1; // the root's zero byte
        while (true) {
            if (p >= len) {
                throw new Malformed();
            }
            int c = b[p] & 0xFF;
            if (c == 0) {
                p++;
                break;
            }
            if ((c & 0xC0) == 0xC0) {
                if (p + 1 >= len || ++jumps > MAX_JUMPS) {
                    throw new Malformed();
                }
                int target = ((c & 0x3F) << 8) | (b[p + 1] & 0xFF);
                if (target >= run) {
                    throw new Malformed();
                }
                if (end < 0) {
                    end = p + 2;
                }
                p = target;
                run = target;
                continue;
            }
            if ((c & 0xC0) != 0) { // 0x40 and 0x80: extended label types, obsolete (RFC 6891 5)
                throw new Malformed();
            }
            wire += c + 1;
            if (wire > Dns.MAX_NAME || p + 1 + c > len) {
                throw new Malformed();
            }
            // ISO-8859-1 maps each byte to one char: the echo writes the same bytes back
            labels.add(new String(b, p + 1, c, StandardCharsets.ISO_8859_1));
            p += 1 + c;
        }
        pos[0] = end >= 0 ? end : p;
        return labels;
    }

    /** Returns {@code pos[0]} and moves it {@code n} bytes on, if the message has them. */
    private static int need(byte[] b, int len, int[] pos, int n) throws Malformed {
        int at = pos[0];
        if (at + n > len) {
            throw new Malformed();
        }
        pos[0] = at + n;
        return at;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    /** Bad bytes after a readable header: answered FORMERR. */
    static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }
}
