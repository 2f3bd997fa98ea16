package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompoundSplitTest {

    @Test
    void sixHundredMessagesBecomeThreeCompoundsOfAtMost255() throws MalformedMessageException {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            messages.add(new byte[] {(byte) MessageType.USER, (byte) i, (byte) (i >> 8)});
        }

        List<byte[]> compounds = Packets.compounds(messages);

        // memberlist util.go:makeCompoundMessages: 255, 255, then the remaining 90, in order.
        assertThat(compounds).hasSize(3);
        List<byte[]> decoded = new ArrayList<>();
        int[] sizes = new int[3];
        for (int c = 0; c < 3; c++) {
            byte[] compound = compounds.get(c);
            assertThat(compound[0] & 0xff).isEqualTo(MessageType.COMPOUND);
            List<byte[]> parts = Packets.splitCompound(compound, 1, compound.length - 1);
            sizes[c] = parts.size();
            decoded.addAll(parts);
        }
        assertThat(sizes).containsExactly(255, 255, 90);
        assertThat(decoded).containsExactlyElementsOf(messages);
    }

    @Test
    void exactly255IsOneCompoundAndNoneIsNothing() {
        assertThat(Packets.compounds(java.util.Collections.nCopies(255, new byte[] {1}))).hasSize(1);
        assertThat(Packets.compounds(java.util.Collections.nCopies(256, new byte[] {1}))).hasSize(2);
        assertThat(Packets.compounds(List.of())).isEmpty();
    }
}
