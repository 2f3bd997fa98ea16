package dev.gossip.spring.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The codec against dnsjava: it reads dnsjava's queries, dnsjava reads its responses. */
class DnsCodecTest {

    static byte[] query(String name, int type, Integer ednsPayload) throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (ednsPayload != null) {
            m.addRecord(new OPTRecord(ednsPayload, 0, 0), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    static DnsQuery decode(byte[] packet) throws DnsDropException {
        return DnsQuery.decode(packet, packet.length);
    }

    private static List<String> labels(String dotted) {
        return List.of(dotted.split("\\."));
    }

    @Test
    void readsAQueryAndWritesAResponseDnsjavaReads() throws Exception {
        byte[] packet = query("GreeTer.service.gossip.", Type.SRV, null);
        DnsQuery q = decode(packet);
        assertThat(q.error()).isNull();
        assertThat(q.name()).containsExactly("GreeTer", "service", "gossip");
        assertThat(q.type()).isEqualTo(Type.SRV);
        assertThat(q.qclass()).isEqualTo(DClass.IN);
        assertThat(q.recursionDesired()).isTrue();
        assertThat(q.udpPayload()).isZero();

        List<String> target = labels("greeter-1.node.gossip");
        byte[] out = DnsResponse.write(q, Dns.Rcode.NOERROR,
                List.of(DnsRecord.srv(q.name(), 8080, target, 5)),
                List.of(DnsRecord.address(target, InetAddress.getByName("10.0.0.7"), 5)));
        Message r = new Message(out);
        assertThat(r.getHeader().getID()).isEqualTo(new Message(packet).getHeader().getID());
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RD)).as("RD copied").isTrue();
        assertThat(r.getHeader().getFlag(Flags.RA)).as("no recursion offered").isFalse();
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getQuestion().getName().toString()).as("question echoed as asked").isEqualTo("GreeTer.service.gossip.");
        SRVRecord srv = (SRVRecord) r.getSectionArray(Section.ANSWER)[0];
        assertThat(srv.getName().toString()).isEqualToIgnoringCase("greeter.service.gossip.");
        assertThat(srv.getPort()).isEqualTo(8080);
        assertThat(srv.getPriority()).isEqualTo(1);
        assertThat(srv.getWeight()).isEqualTo(1);
        assertThat(srv.getTTL()).isEqualTo(5);
        assertThat(srv.getTarget().toString()).isEqualTo("greeter-1.node.gossip.");
        ARecord a = (ARecord) r.getSectionArray(Section.ADDITIONAL)[0];
        assertThat(a.getName().toString()).isEqualTo("greeter-1.node.gossip.");
        assertThat(a.getAddress().getHostAddress()).isEqualTo("10.0.0.7");
    }

    @Test
    void answerOwnersPointAtTheQuestionAndSrvTargetsAreNotCompressed() throws Exception {
        DnsQuery q = decode(query("greeter.service.gossip.", Type.SRV, null));
        List<String> target = labels("greeter-1.node.gossip");
        byte[] out = DnsResponse.write(q, Dns.Rcode.NOERROR, List.of(DnsRecord.srv(q.name(), 8080, target, 0)),
                List.of(DnsRecord.address(target, InetAddress.getByName("10.0.0.7"), 0)));
        int answer = Dns.HEADER + "greeter.service.gossip".length() + 2 + 4;
        assertThat(out[answer] & 0xFF).as("owner is a pointer").isEqualTo(0xC0);
        assertThat(out[answer + 1]).as("... to the question").isEqualTo((byte) Dns.HEADER);
        int rdata = answer + 2 + 10;
        assertThat(out[rdata + 6]).as("RFC 2782: target written out").isEqualTo((byte) "greeter-1".length());
        int additional = rdata + 6 + "greeter-1.node.gossip".length() + 2;
        assertThat(out[additional] & 0xFF).as("additional owner points into the target").isEqualTo(0xC0);
        assertThat(((out[additional] & 0x3F) << 8) | (out[additional + 1] & 0xFF)).isEqualTo(rdata + 6);
        assertThat(out).hasSize(additional + 2 + 10 + 4);
    }

    @Test
    void followsBackwardPointersInQueries() throws Exception {
        // header, question "a.gossip" (type A), then an additional record named "b" + pointer to "gossip"
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1});
        b.writeBytes(new byte[] {1, 'a', 6, 'g', 'o', 's', 's', 'i', 'p', 0, 0, 1, 0, 1});
        b.writeBytes(new byte[] {1, 'b', (byte) 0xC0, 14, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4});
        byte[] packet = b.toByteArray();
        int[] pos = {Dns.HEADER + 14};
        assertThat(DnsQuery.readName(packet, packet.length, pos)).containsExactly("b", "gossip");
        assertThat(pos[0]).as("after the pointer, not after its target").isEqualTo(Dns.HEADER + 18);
        DnsQuery q = decode(packet);
        assertThat(q.error()).isNull();
        assertThat(q.name()).containsExactly("a", "gossip");
    }

    @Test
    void pointerLoopsForwardPointersAndOverlongNamesAreFormErr() throws Exception {
        byte[] header = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        assertFormErr(header, new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1}); // points at itself
        assertFormErr(header, new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1}); // loops back to its start
        assertFormErr(header, new byte[] {(byte) 0xC0, 20, 0, 1, 0, 1, 0, 0, 1, 'a', 0}); // forward
        assertFormErr(header, new byte[] {(byte) 0x80, 'a', 0, 0, 1, 0, 1}); // reserved label type
        assertFormErr(header, new byte[] {(byte) 0x40, 'a', 0, 0, 1, 0, 1}); // extended label type
        assertFormErr(header, new byte[] {5, 'a', 'b'}); // label past the end
        assertFormErr(header, new byte[] {1, 'a', 0, 0, 1}); // type and class cut short
        ByteArrayOutputStream longName = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) { // 5 x 52 bytes > 255
            longName.write(51);
            longName.writeBytes("x".repeat(51).getBytes(StandardCharsets.US_ASCII));
        }
        longName.writeBytes(new byte[] {0, 0, 1, 0, 1});
        assertFormErr(header, longName.toByteArray());
        // a long chain of backward pointers still ends within the name limit
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        chain.writeBytes(new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0});
        for (int i = 0; i < 300; i++) {
            int self = 15 + 4 * i;
            int prev = i == 0 ? 12 : self - 4;
            chain.writeBytes(new byte[] {1, 'a', (byte) (0xC0 | prev >> 8), (byte) prev});
        }
        byte[] packet = chain.toByteArray();
        int[] pos = {packet.length - 4};
        assertThatThrownBy(() -> DnsQuery.readName(packet, packet.length, pos)).isInstanceOf(DnsQuery.Malformed.class);
    }

    private static void assertFormErr(byte[] header, byte[] body) throws Exception {
        byte[] packet = new byte[header.length + body.length];
        System.arraycopy(header, 0, packet, 0, header.length);
        System.arraycopy(body, 0, packet, header.length, body.length);
        DnsQuery q = decode(packet);
        assertThat(q.error()).isEqualTo(Dns.Rcode.FORMERR);
        Message r = parse(DnsResponse.write(q, Dns.Rcode.NOERROR, List.of(), List.of()));
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r.getHeader().getID()).isEqualTo(1);
    }

    private static Message parse(byte[] response) throws Exception {
        return new Message(response);
    }

    @Test
    void dropsShortPacketsAndResponsesAndRefusesOtherOpcodesAndQuestionCounts() throws Exception {
        assertThatThrownBy(() -> DnsQuery.decode(new byte[11], 11)).isInstanceOf(DnsDropException.class)
                .extracting(e -> ((DnsDropException) e).reason()).isEqualTo("short");
        byte[] response = query("a.gossip.", Type.A, null);
        response[2] |= (byte) 0x80;
        assertThatThrownBy(() -> decode(response)).extracting(e -> ((DnsDropException) e).reason()).isEqualTo("response");

        Message notify = Message.newQuery(Record.newRecord(Name.fromString("a.gossip."), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        DnsQuery q = decode(notify.toWire());
        assertThat(q.error()).isEqualTo(Dns.Rcode.NOTIMP);
        Message r = parse(DnsResponse.write(q, Dns.Rcode.NOERROR, List.of(), List.of()));
        assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);

        byte[] two = query("a.gossip.", Type.A, null);
        two[5] = 2;
        assertThat(decode(two).error()).isEqualTo(Dns.Rcode.FORMERR);
        byte[] none = query("a.gossip.", Type.A, null);
        none[5] = 0;
        assertThat(decode(none).error()).isEqualTo(Dns.Rcode.FORMERR);
    }

    @Test
    void truncatesToWholeRecordsAndSetsTc() throws Exception {
        DnsQuery q = decode(query("big.service.gossip.", Type.SRV, null));
        List<DnsRecord> answers = new ArrayList<>();
        List<DnsRecord> additional = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<String> target = labels("big-" + i + ".node.gossip");
            answers.add(DnsRecord.srv(q.name(), 8000 + i, target, 0));
            additional.add(DnsRecord.address(target, InetAddress.getByName("10.0.0." + i), 0));
        }
        byte[] out = DnsResponse.write(q, Dns.Rcode.NOERROR, answers, additional);
        assertThat(out.length).isLessThanOrEqualTo(512);
        Message r = parse(out);
        assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
        int n = r.getSectionArray(Section.ANSWER).length;
        assertThat(n).isBetween(10, 39);
        assertThat(r.getSectionArray(Section.ADDITIONAL)).as("no additional records after a cut").isEmpty();
        for (int i = 0; i < n; i++) {
            assertThat(((SRVRecord) r.getSectionArray(Section.ANSWER)[i]).getPort()).isEqualTo(8000 + i);
        }

        // additional records that do not fit are left out without TC
        byte[] some = DnsResponse.write(q, Dns.Rcode.NOERROR, answers.subList(0, 10), additional.subList(0, 10));
        Message s = parse(some);
        assertThat(s.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(s.getSectionArray(Section.ANSWER)).hasSize(10);
        assertThat(s.getSectionArray(Section.ADDITIONAL).length).isBetween(1, 9);
        assertThat(some.length).isLessThanOrEqualTo(512);
    }

    @Test
    void edns0RaisesTheLimitToTheOfferCappedAt1232AndIsEchoed() throws Exception {
        DnsQuery big = decode(query("big.service.gossip.", Type.SRV, 4096));
        assertThat(big.udpPayload()).isEqualTo(4096);
        assertThat(DnsResponse.sizeFor(big)).isEqualTo(1232);
        List<DnsRecord> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(DnsRecord.srv(big.name(), 8000 + i, labels("big-" + i + ".node.gossip"), 0));
        }
        byte[] out = DnsResponse.write(big, Dns.Rcode.NOERROR, answers, List.of());
        assertThat(out.length).isGreaterThan(512).isLessThanOrEqualTo(1232);
        Message r = parse(out);
        assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(r.getOPT()).as("OPT echoed").isNotNull();
        assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);

        DnsQuery small = decode(query("big.service.gossip.", Type.SRV, 100));
        assertThat(small.udpPayload()).as("below 512 counts as 512 (RFC 6891 6.2.5)").isEqualTo(512);
        assertThat(DnsResponse.write(small, Dns.Rcode.NOERROR, answers, List.of()).length).isLessThanOrEqualTo(512);

        Message twoOpts = Message.newQuery(Record.newRecord(Name.fromString("a.gossip."), Type.A, DClass.IN));
        twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        DnsQuery q = decode(twoOpts.toWire());
        assertThat(q.error()).isEqualTo(Dns.Rcode.FORMERR);
        assertThat(parse(DnsResponse.write(q, Dns.Rcode.NOERROR, List.of(), List.of())).getOPT()).isNotNull();
    }

    @Test
    void anAaaaRecordRoundTrips() throws Exception {
        DnsQuery q = decode(query("greeter-1.node.gossip.", Type.AAAA, 1232));
        byte[] out = DnsResponse.write(q, Dns.Rcode.NOERROR,
                List.of(DnsRecord.address(q.name(), InetAddress.getByName("fd00::7"), 0)), List.of());
        Record rr = parse(out).getSectionArray(Section.ANSWER)[0];
        assertThat(rr.getType()).isEqualTo(Type.AAAA);
        assertThat(rr.rdataToString()).isEqualTo("fd00:0:0:0:0:0:0:7");
    }
}
