package dev.gossip.spring.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * 30,000 seeded random and mutated datagrams through the responder's decode-answer-encode path:
 * each ends as a counted drop or a response that dnsjava parses, fits the client's limit and
 * carries the query's id; nothing else is thrown, and no answer is a SERVFAIL (a bug of ours).
 */
class DnsMessageFuzzTest {

    private static final long SEED = 0xD115_F022L;
    private static final int INPUTS = 30_000;

    enum Kind { RANDOM, MUTATED, TRUNCATED, POINTERS, VALID }

    private static final String[] NAMES = {"greeter.service.gossip.", "_greeter._tcp.service.gossip.",
            "big.service.gossip.", "greeter-1.node.gossip.", "v6-node.node.gossip.", "nope.service.gossip.",
            "example.com.", "gossip.", "7f010002.addr.gossip."};
    private static final int[] TYPES = {Type.SRV, Type.A, Type.AAAA, Type.ANY, Type.TXT, Type.MX};

    @Test
    void everyDatagramIsACountedDropOrAResponseThatParses() throws Exception {
        long start = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<byte[]> valid = new java.util.ArrayList<>();
        for (String name : NAMES) {
            for (int type : TYPES) {
                valid.add(DnsCodecTest.query(name, type, null));
                valid.add(DnsCodecTest.query(name, type, 512 + rnd.nextInt(4096)));
            }
        }
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        Map<String, Integer> rcodes = new TreeMap<>();
        int truncated = 0;
        try (DnsResponder responder = DnsFixtures.responder(DnsFixtures.cluster())) {
            for (int i = 0; i < INPUTS; i++) {
                Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
                kinds.merge(kind, 1, Integer::sum);
                byte[] packet = packet(kind, rnd, valid.get(rnd.nextInt(valid.size())));
                byte[] out;
                try {
                    out = responder.respond(packet, packet.length);
                } catch (RuntimeException e) {
                    throw new AssertionError("input " + i + " (" + kind + ") threw", e);
                }
                if (out == null) {
                    continue; // counted below
                }
                Message r;
                try {
                    r = new Message(out);
                } catch (Exception e) {
                    fail("response to input %d (%s) does not parse: %s", i, kind, e);
                    return;
                }
                assertThat(r.getHeader().getID()).isEqualTo(DnsQuery.u16(packet, 0));
                assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
                assertThat(out.length).isLessThanOrEqualTo(Dns.MAX_UDP);
                if (r.getOPT() == null) {
                    assertThat(out.length).isLessThanOrEqualTo(Dns.CLASSIC_UDP);
                }
                truncated += r.getHeader().getFlag(Flags.TC) ? 1 : 0;
                rcodes.merge(org.xbill.DNS.Rcode.string(r.getRcode()), 1, Integer::sum);
            }
            long drops = responder.dropped("short") + responder.dropped("response");
            long answered = 0;
            for (Dns.Rcode rc : Dns.Rcode.values()) {
                answered += responder.responses(rc.name());
            }
            System.out.printf("DnsMessageFuzzTest: %d inputs %s -> %d dropped (short %d, response %d), responses %s,"
                            + " %d truncated; %.1f s%n", INPUTS, kinds, drops, responder.dropped("short"),
                    responder.dropped("response"), rcodes, truncated, (System.nanoTime() - start) / 1e9);
            assertThat(drops + answered).as("every input is a drop or a response").isEqualTo(INPUTS);
            assertThat(responder.responses("SERVFAIL")).as("answers that failed inside").isZero();
            assertThat(responder.dropped("short")).isPositive();
            assertThat(responder.dropped("response")).isPositive();
            assertThat(rcodes).containsKeys("NOERROR", "FORMERR", "NXDOMAIN", "NOTIMP", "REFUSED");
            assertThat(truncated).isPositive();
        }
    }

    private static byte[] packet(Kind kind, SplittableRandom rnd, byte[] valid) {
        switch (kind) {
            case RANDOM -> {
                byte[] b = new byte[rnd.nextInt(600)];
                rnd.nextBytes(b);
                return b;
            }
            case MUTATED -> {
                byte[] b = valid.clone();
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                return b;
            }
            case TRUNCATED -> {
                return java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length));
            }
            case POINTERS -> { // compression pointers anywhere: loops, forward, into the header
                byte[] b = valid.clone();
                int at = Dns.HEADER + rnd.nextInt(b.length - Dns.HEADER - 1);
                int target = rnd.nextInt(b.length + 16);
                b[at] = (byte) (0xC0 | (target >> 8));
                b[at + 1] = (byte) target;
                return b;
            }
            default -> {
                return valid;
            }
        }
    }
}
