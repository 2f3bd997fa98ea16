package dev.gossip.spring.dns;

/** Numbers from RFC 1035 3.2.2/4.1.1, RFC 3596 (AAAA), RFC 2782 (SRV) and RFC 6891 (OPT). */
final class Dns {

    static final int HEADER = 12;
    /** RFC 1035 4.2.1: the UDP limit without EDNS0. */
    static final int CLASSIC_UDP = 512;
    /** The largest UDP answer we send even when a client offers more (the DNS flag day 2020 value). */
    static final int MAX_UDP = 1232;
    /** RFC 1035 2.3.4. */
    static final int MAX_LABEL = 63;
    static final int MAX_NAME = 255;

    static final int TYPE_A = 1;
    static final int TYPE_AAAA = 28;
    static final int TYPE_SRV = 33;
    static final int TYPE_OPT = 41;
    static final int TYPE_ANY = 255;

    static final int CLASS_IN = 1;
    static final int CLASS_ANY = 255;

    static final int OPCODE_QUERY = 0;

    /** Header flag bits (RFC 1035 4.1.1). */
    static final int FLAG_QR = 0x8000;
    static final int FLAG_AA = 0x0400;
    static final int FLAG_TC = 0x0200;
    static final int FLAG_RD = 0x0100;

    private Dns() {}

    /** The response codes we send, with the {@code rcode} tag of gossip.dns.responses. */
    enum Rcode {
        NOERROR(0), FORMERR(1), SERVFAIL(2), NXDOMAIN(3), NOTIMP(4), REFUSED(5);

        final int code;

        Rcode(int code) {
            this.code = code;
        }
    }

    /** ASCII-only lower case: DNS names compare case-insensitively in ASCII only (RFC 4343). */
    static String lower(String label) {
        StringBuilder sb = null;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(label);
                }
                sb.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? label : sb.toString();
    }
}
