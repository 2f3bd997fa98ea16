package dev.gossip.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedInternerTest {

    private final SharedInterner interner = new SharedInterner();

    @Test
    void equalValuesComeBackAsTheFirstInstance() throws Exception {
        String name = interner.intern(new String("node-1"));
        assertThat(interner.intern(new String("node-1"))).isSameAs(name);
        InetAddress addr = interner.intern(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}));
        assertThat(interner.intern(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}))).isSameAs(addr);
        Map<String, String> tags = interner.intern(Map.of("role", "web"));
        assertThat(interner.intern(new HashMap<>(Map.of("role", "web")))).isSameAs(tags);
        assertThat(interner.size()).isEqualTo(3);
    }

    @Test
    void byteArraysAreComparedByContent() {
        byte[] meta = interner.intern(new byte[] {(byte) 0xff, (byte) 0x80});
        assertThat(interner.intern(new byte[] {(byte) 0xff, (byte) 0x80})).isSameAs(meta);
        assertThat(interner.intern(new byte[] {(byte) 0xff, (byte) 0x81})).isNotSameAs(meta)
                .containsExactly(0xff, 0x81);
    }

    @Test
    void nullStaysNull() {
        assertThat((Object) interner.intern(null)).isNull();
        assertThat(interner.size()).isZero();
    }
}
