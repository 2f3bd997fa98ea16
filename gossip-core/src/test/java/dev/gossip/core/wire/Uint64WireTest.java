package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * A LamportTime of 2^63 or more goes on the wire as the uint64 go-msgpack writes (0xcf and eight
 * bytes), never as a negative int, which serf's decoder refuses for an unsigned field; and reads
 * back unchanged.
 */
class Uint64WireTest {

    @Test
    void ltimesOf2To63AndMoreAreWrittenAsUint64AndReadBackUnchanged() throws MalformedMessageException {
        for (long ltime : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 5, -1L}) {
            byte[] msg = new JoinIntent(ltime, "n").encode();
            String hex = HexFormat.of().formatHex(msg);
            assertThat(hex).contains("a54c54696d65" + "cf" + String.format("%016x", ltime)); // "LTime" uint64

            JoinIntent back = JoinIntent.decode(new MsgReader(msg, 1, msg.length - 1));
            assertThat(back.ltime()).isEqualTo(ltime);
        }
    }

    @Test
    void smallValuesKeepTheSmallestFormat() {
        String hex = HexFormat.of().formatHex(new JoinIntent(5, "n").encode());
        assertThat(hex).contains("a54c54696d65" + "05");
    }
}
