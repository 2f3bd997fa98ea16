package dev.gossip.spring.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Member;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The responder over a member list, asked over UDP by dnsjava, a real DNS client. */
class DnsResponderTest {

    private DnsResponder responder;
    private SimpleResolver resolver;

    @BeforeEach
    void start() throws Exception {
        List<Member> cluster = DnsFixtures.cluster();
        responder = DnsFixtures.responder(cluster);
        resolver = new SimpleResolver(responder.address());
        resolver.setTimeout(Duration.ofSeconds(2));
        resolver.setEDNS(-1, 0, 0, List.of()); // a classic 512-byte client unless a test says otherwise
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    private Message ask(String name, int type) throws Exception {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<Record> section(Message m, int section) {
        return m.getSection(section);
    }

    /** SRV port -> target. */
    private static Map<Integer, String> srv(Message m) {
        Map<Integer, String> out = new TreeMap<>();
        for (Record r : section(m, Section.ANSWER)) {
            SRVRecord s = (SRVRecord) r;
            out.put(s.getPort(), s.getTarget().toString());
        }
        return out;
    }

    /** owner -> rdata of the additional section. */
    private static Map<String, String> additional(Message m) {
        Map<String, String> out = new TreeMap<>();
        section(m, Section.ADDITIONAL).forEach(r -> out.put(r.getName().toString(), r.rdataToString()));
        return out;
    }

    private static List<String> rdata(Message m) {
        return section(m, Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    @Test
    void srvListsTheHealthyGreetersWithTheirPortsTargetsAndAddresses() throws Exception {
        Message m = ask("greeter.service.gossip.", Type.SRV);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        // greeter-3 DOWN, greeter-4 OUT_OF_SERVICE and greeter-5 suspect are absent
        assertThat(srv(m)).containsExactly(
                Map.entry(8080, "greeter-1.node.gossip."),
                Map.entry(8081, "greeter-2.node.gossip."),
                Map.entry(8086, "greeter-six.example."),
                Map.entry(8087, "fd000000000000000000000000000007.addr.gossip."));
        assertThat(additional(m)).containsExactly(
                Map.entry("fd000000000000000000000000000007.addr.gossip.", "fd00:0:0:0:0:0:0:7"), // dnsjava writes IPv6 uncompressed
                Map.entry("greeter-1.node.gossip.", "127.1.0.2"),
                Map.entry("greeter-2.node.gossip.", "127.1.0.3"));
        assertThat(section(m, Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isZero());

        Message rfc2782 = ask("_greeter._tcp.service.gossip.", Type.SRV);
        assertThat(srv(rfc2782)).isEqualTo(srv(m));
        assertThat(srv(ask("GREETER.Service.Gossip.", Type.SRV))).as("case-insensitive").isEqualTo(srv(m));
        assertThat(srv(ask("greeter.service.gossip.", Type.ANY))).as("ANY answers as SRV").isEqualTo(srv(m));
    }

    @Test
    void suspectsAreAnsweredWhenEveryUpInstanceIsSuspect() throws Exception {
        assertThat(srv(ask("lonely.service.gossip.", Type.SRV))).containsExactly(Map.entry(9000, "lonely-1.node.gossip."));
        assertThat(rdata(ask("lonely.service.gossip.", Type.A))).containsExactly("127.1.0.9");
    }

    @Test
    void aAndAaaaListTheHealthyIpHostsOfTheirFamily() throws Exception {
        assertThat(rdata(ask("greeter.service.gossip.", Type.A))).containsExactly("127.1.0.2", "127.1.0.3");
        assertThat(rdata(ask("greeter.service.gossip.", Type.AAAA))).containsExactly("fd00:0:0:0:0:0:0:7");
    }

    @Test
    void nodeNamesResolveToTheMembersAddress() throws Exception {
        assertThat(rdata(ask("greeter-1.node.gossip.", Type.A))).containsExactly("127.1.0.2");
        assertThat(rdata(ask("GREETER-1.node.gossip.", Type.A))).containsExactly("127.1.0.2");
        Message noV6 = ask("greeter-1.node.gossip.", Type.AAAA);
        assertThat(noV6.getRcode()).as("a known name without that type").isEqualTo(Rcode.NOERROR);
        assertThat(section(noV6, Section.ANSWER)).isEmpty();
        assertThat(rdata(ask("v6-node.node.gossip.", Type.AAAA))).containsExactly("fd00:0:0:0:0:0:0:99");
        assertThat(rdata(ask("fd000000000000000000000000000007.addr.gossip.", Type.AAAA))).containsExactly("fd00:0:0:0:0:0:0:7");
        assertThat(ask("gone.node.gossip.", Type.A).getRcode()).as("a failed member").isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void unknownNamesInsideTheDomainAreNxdomainAndOthersRefused() throws Exception {
        assertThat(ask("nope.service.gossip.", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("nobody.node.gossip.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("greeter.elsewhere.gossip.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("greeter.gossip.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        for (String empty : List.of("gossip.", "service.gossip.", "node.gossip.")) {
            Message m = ask(empty, Type.A);
            assertThat(m.getRcode()).as(empty).isEqualTo(Rcode.NOERROR);
            assertThat(section(m, Section.ANSWER)).as(empty).isEmpty();
        }
        assertThat(ask("example.com.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask("gossip.example.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
        Message resting = ask("resting.service.gossip.", Type.SRV);
        assertThat(resting.getRcode()).as("a service whose instances are all DOWN exists").isEqualTo(Rcode.NOERROR);
        assertThat(section(resting, Section.ANSWER)).isEmpty();
        Message txt = ask("greeter.service.gossip.", Type.TXT);
        assertThat(txt.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(section(txt, Section.ANSWER)).isEmpty();
        Message chaos = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH)));
        assertThat(chaos.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(responder.responses("REFUSED")).isEqualTo(3);
        assertThat(responder.responses("NXDOMAIN")).isEqualTo(4);
    }

    @Test
    void otherOpcodesAreNotimpGarbageIsFormerrAndShortPacketsAreDropped() throws Exception {
        Message notify = Message.newQuery(Record.newRecord(Name.fromString("greeter.service.gossip."), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        Message notimp = new Message(raw(notify.toWire()));
        assertThat(notimp.getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(notimp.getHeader().getID()).isEqualTo(notify.getHeader().getID());

        byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0xC0);
        garbage[0] = 0x12;
        garbage[1] = 0x34;
        garbage[2] = 0x01; // a query (QR clear), opcode QUERY, RD
        garbage[3] = 0;
        garbage[4] = 0;
        garbage[5] = 1; // one question, made of pointer bytes
        Message formerr = new Message(raw(garbage));
        assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);

        assertThat(rawOrNull(new byte[] {1, 2, 3, 4, 5})).as("no answer to 5 bytes").isNull();
        assertThat(responder.dropped("short")).isEqualTo(1);
        assertThat(srv(ask("greeter.service.gossip.", Type.SRV))).as("still answering").hasSize(4);
    }

    @Test
    void manyInstancesAreTruncatedToWholeRecordsWithTc() throws Exception {
        resolver.setIgnoreTruncation(true); // no TCP retry: the responder is UDP only
        Message m = ask("big.service.gossip.", Type.SRV);
        assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(m.numBytes()).isLessThanOrEqualTo(512);
        assertThat(srv(m).size()).isBetween(5, 59);

        resolver.setEDNS(0, 4096, 0, List.of());
        Message edns = ask("big.service.gossip.", Type.SRV);
        assertThat(edns.numBytes()).isGreaterThan(512).isLessThanOrEqualTo(1232);
        assertThat(srv(edns).size()).isGreaterThan(srv(m).size());
        assertThat(edns.getOPT()).isNotNull();
    }

    @Test
    void closingStopsTheThreadAndFreesThePort() throws Exception {
        int port = responder.address().getPort();
        responder.close();
        assertThat(responder.isRunning()).isFalse();
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private byte[] raw(byte[] packet) throws Exception {
        byte[] out = rawOrNull(packet);
        assertThat(out).as("a response").isNotNull();
        return out;
    }

    private byte[] rawOrNull(byte[] packet) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(500);
            s.send(new DatagramPacket(packet, packet.length, responder.address()));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            s.receive(in);
            return Arrays.copyOf(in.getData(), in.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
