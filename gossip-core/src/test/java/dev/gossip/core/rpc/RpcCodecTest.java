package dev.gossip.core.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RPC codec and filters alone: serf's bytes out, hostile bytes in. */
class RpcCodecTest {

    private static Member member(String name, String status, Map<String, String> tags) throws Exception {
        return new Member(name, InetAddress.getByName("127.0.0.1"), 7946, tags,
                MemberStatus.valueOf(status.toUpperCase()), false, 1, 5, 2, 2, 5, 4, 1);
    }

    private static RequestReader reader(String hex, int max) {
        return new RequestReader(new ByteArrayInputStream(HexFormat.of().parseHex(hex)), max);
    }

    @Test
    void memberRecordCarriesAddrAsFourByteBinAndStatusAsSerfsName() throws Exception {
        byte[] b = new ResponseWriter().member(member("a", "alive", Map.of())).toByteArray();
        String hex = HexFormat.of().formatHex(b);
        assertThat(hex).as("Addr must be bin8 of 4 bytes, as serf's net.IP under WriteExt")
                .contains(HexFormat.of().formatHex("Addr".getBytes()) + "c4047f000001");
        assertThat(hex).contains(HexFormat.of().formatHex("Status".getBytes()) + "a5" + HexFormat.of().formatHex("alive".getBytes()));
        @SuppressWarnings("unchecked") Map<String, Object> decoded = (Map<String, Object>) new RequestReader(new ByteArrayInputStream(b), 1024).read();
        assertThat(decoded.keySet()).containsExactlyInAnyOrder("Name", "Addr", "Port", "Tags", "Status",
                "ProtocolMin", "ProtocolMax", "ProtocolCur", "DelegateMin", "DelegateMax", "DelegateCur");
        assertThat(decoded.get("DelegateCur")).isEqualTo(4L);
    }

    @Test
    void responseHeadersAreByteForByteWhatTheSerfBinarySends() {
        // captured from serf 0.8.2-dev's reply to a handshake with Seq 1, and to a command before auth
        assertThat(HexFormat.of().formatHex(ResponseWriter.header(1, "").toByteArray()))
                .isEqualTo("82a54572726f72a0a353657101");
        assertThat(HexFormat.of().formatHex(ResponseWriter.header(2, "Authentication required").toByteArray()))
                .isEqualTo("82a54572726f72b741757468656e7469636174696f6e207265717569726564a353657102");
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAnyAllocation() {
        assertThatThrownBy(() -> reader("dbffffffff", 1024).read()).isInstanceOf(RequestReader.TooLargeException.class);
        assertThatThrownBy(() -> reader("c6 7fffffff".replace(" ", ""), 1024).read())
                .isInstanceOf(RequestReader.TooLargeException.class);
        assertThatThrownBy(() -> reader("df7fffffff", 1024).read()).isInstanceOf(RequestReader.TooLargeException.class);
        assertThatThrownBy(() -> reader("dd00010000", 1024).read()).isInstanceOf(RequestReader.TooLargeException.class);
    }

    @Test
    void garbageAndDeepNestingAreMalformed() {
        assertThatThrownBy(() -> reader("c1", 1024).read()).isInstanceOf(RequestReader.MalformedException.class);
        assertThatThrownBy(() -> reader("91".repeat(40) + "00", 1024).read())
                .isInstanceOf(RequestReader.MalformedException.class);
        assertThatThrownBy(() -> reader("82a143", 1024).read()).as("truncated").isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void goDecodingRulesForFields() throws Exception {
        // {Command: "members", Seq: 7, Payload: bin "hi", Tags: {k: "v"}, Nil: nil}
        RequestBody body = RequestBody.of(reader("85a7436f6d6d616e64a76d656d62657273a3536571" + "07"
                + "a77061796c6f6164c4026869" + "a454616773" + "81a16ba176" + "a34e696cc0", 1024).read());
        assertThat(body.string("Command")).isEqualTo("members");
        assertThat(body.integer("Seq")).isEqualTo(7);
        assertThat(body.bytes("payload")).containsExactly('h', 'i');
        assertThat(body.stringMap("Tags")).containsEntry("k", "v");
        assertThat(body.string("Missing")).isEmpty();
        assertThat(body.bool("Nil")).isFalse();
        assertThatThrownBy(() -> body.strings("Seq")).isInstanceOf(RequestBody.BadFieldException.class);
    }

    @Test
    void memberFiltersAreAnchoredRegexesAsInSerf() throws Exception {
        List<Member> ms = List.of(member("web-1", "alive", Map.of("role", "web")),
                member("webby", "failed", Map.of("role", "webby")), member("db-1", "alive", Map.of()));
        assertThat(new MemberFilter(Map.of("role", "web"), "", "").apply(ms)).extracting(Member::name)
                .containsExactly("web-1");
        assertThat(new MemberFilter(Map.of("role", "web.*"), "alive", "").apply(ms)).extracting(Member::name)
                .containsExactly("web-1");
        assertThat(new MemberFilter(Map.of("role", ".*"), "", "").apply(ms)).as("a missing tag is \"\"")
                .hasSize(3);
        assertThat(new MemberFilter(Map.of(), "", "db-.").apply(ms)).extracting(Member::name).containsExactly("db-1");
        assertThat(new MemberFilter(Map.of(), "left|failed", "").apply(ms)).extracting(Member::name)
                .containsExactly("webby");
        assertThatThrownBy(() -> new MemberFilter(Map.of(), "(", "")).hasMessageStartingWith("Failed to compile regex");
    }

    @Test
    void eventFiltersParseAndMatchAsSerfs() {
        List<EventFilter> f = EventFilter.parse("member-join,user:deploy,query");
        assertThat(f).allMatch(EventFilter::valid);
        GossipEvent deploy = new GossipEvent.UserEvent(1, "deploy", new byte[0], false);
        GossipEvent other = new GossipEvent.UserEvent(1, "other", new byte[0], false);
        GossipEvent suspicion = new GossipEvent.MemberEvent(GossipEvent.MemberEventType.SUSPICION, List.of());
        assertThat(EventFilter.anyMatches(f, deploy)).isTrue();
        assertThat(EventFilter.anyMatches(f, other)).isFalse();
        assertThat(EventFilter.anyMatches(EventFilter.parse(""), other)).as("empty is *").isTrue();
        assertThat(EventFilter.anyMatches(EventFilter.parse("*"), suspicion)).as("not a serf event").isFalse();
        assertThat(EventFilter.parse("member-join,bogus")).anyMatch(e -> !e.valid());
    }
}
