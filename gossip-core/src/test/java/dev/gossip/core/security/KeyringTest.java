package dev.gossip.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyringTest {

    private static final byte[] A = filled(32, 0xA1);
    private static final byte[] B = filled(16, 0xB2);
    private static final byte[] C = filled(24, 0xC3);

    @Test
    void acceptsAes128192And256Keys() {
        Keyring ring = Keyring.of(A, B, C);
        assertThat(ring.size()).isEqualTo(3);
        assertThat(ring.primaryKey()).isEqualTo(A);
        assertThat(ring.keys()).containsExactly(A, B, C);
    }

    @Test
    void rejectsOtherKeyLengthsNamingTheKey() {
        assertThatThrownBy(() -> Keyring.of(A, new byte[20]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Encryption key #2 is 20 bytes; AES keys must be 16, 24 or 32 bytes "
                        + "(generate one with `serf keygen`)");
        assertThatThrownBy(() -> Keyring.of())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No encryption keys given");
        assertThatThrownBy(() -> Keyring.of(A, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Encryption key #2 is null");
    }

    @Test
    void fromBase64ReadsSerfKeygenOutput() {
        Keyring ring = Keyring.fromBase64(List.of(SerfCaptures.CAPTURE_KEY));
        assertThat(HexFormat.of().formatHex(ring.primaryKey()))
                .isEqualTo("43cbfadb96e38dbfeaa6f4febec87fce79ba1f15abb27eaf2efdc8558267d8ab");
        assertThat(ring.base64Keys()).containsExactly(SerfCaptures.CAPTURE_KEY);
    }

    @Test
    void fromBase64IgnoresSurroundingWhitespace() {
        Keyring ring = Keyring.fromBase64(List.of(" " + SerfCaptures.CAPTURE_KEY + "\n"));
        assertThat(ring.base64Keys()).containsExactly(SerfCaptures.CAPTURE_KEY);
    }

    @Test
    void fromBase64ErrorsSayWhatToChange() {
        String twentyBytes = Base64.getEncoder().encodeToString(new byte[20]);
        assertThatThrownBy(() -> Keyring.fromBase64(List.of(twentyBytes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Encryption key #1 decodes to 20 bytes; AES keys must be 16, 24 or 32 "
                        + "bytes (generate one with `serf keygen`)");

        String secretButBroken = "Q8v625bjjb-qpvT+vsh/znm6HxWrsn6vLv3IVYJn2Ks=";
        assertThatThrownBy(() -> Keyring.fromBase64(List.of(SerfCaptures.CAPTURE_KEY, secretButBroken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Encryption key #2 is not valid base64: ")
                .message().doesNotContain(secretButBroken).doesNotContain("Q8v625");

        assertThatThrownBy(() -> Keyring.fromBase64(List.of(SerfCaptures.CAPTURE_KEY, "  ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Encryption key #2 is empty");
        assertThatThrownBy(() -> Keyring.fromBase64(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serf keygen");
    }

    @Test
    void duplicateKeysCollapseLikeMemberlistAddKey() {
        assertThat(Keyring.of(A, B, A).keys()).containsExactly(A, B);
        Keyring ring = Keyring.of(A);
        assertThat(ring.withKey(A.clone())).isSameAs(ring);
    }

    @Test
    void withKeyAppendsAndKeepsThePrimary() {
        Keyring ring = Keyring.of(A);
        Keyring installed = ring.withKey(B).withKey(C);
        assertThat(installed.keys()).containsExactly(A, B, C);
        assertThat(ring.keys()).containsExactly(A);
        assertThatThrownBy(() -> ring.withKey(new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 bytes; AES keys must be 16, 24 or 32 bytes");
    }

    @Test
    void withPrimaryMovesTheKeyFirstKeepingTheRestInOrder() {
        Keyring ring = Keyring.of(A, B, C);
        assertThat(ring.withPrimary(C).keys()).containsExactly(C, A, B);
        assertThat(ring.withPrimary(B).keys()).containsExactly(B, A, C);
        assertThat(ring.withPrimary(A)).isSameAs(ring);
        assertThatThrownBy(() -> ring.withPrimary(filled(32, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the keyring; install it first");
    }

    @Test
    void withoutRemovesButNeverThePrimary() {
        Keyring ring = Keyring.of(A, B, C);
        assertThat(ring.without(B).keys()).containsExactly(A, C);
        assertThat(ring.without(filled(16, 9))).isSameAs(ring);
        assertThatThrownBy(() -> ring.without(A.clone()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot remove the primary key; make another key primary first");
        assertThat(ring.withPrimary(B).without(A).keys()).containsExactly(B, C);
    }

    @Test
    void accessorsAndFactoriesCopyKeyBytes() {
        byte[] input = A.clone();
        Keyring ring = Keyring.of(input, B);
        input[0] ^= 1;
        ring.primaryKey()[0] ^= 1;
        ring.keys().get(1)[0] ^= 1;
        assertThat(ring.keys()).containsExactly(A, B);
        assertThatThrownBy(() -> ring.keys().add(C)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringShowsOnlyTheCount() {
        Keyring ring = Keyring.fromBase64(List.of(SerfCaptures.CAPTURE_KEY)).withKey(B);
        String text = ring.toString();
        assertThat(text).isEqualTo("Keyring[2 keys]");
        assertThat(Keyring.of(A).toString()).isEqualTo("Keyring[1 key]");
        for (byte[] key : ring.keys()) {
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(key))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(key))
                    .doesNotContain(Arrays.toString(key));
        }
    }

    @Test
    void equalityIsByContentAndOrder() {
        assertThat(Keyring.of(A, B)).isEqualTo(Keyring.of(A.clone(), B.clone()))
                .hasSameHashCodeAs(Keyring.of(A.clone(), B.clone()));
        assertThat(Keyring.of(A, B)).isNotEqualTo(Keyring.of(B, A));
        assertThat(Keyring.of(A)).isNotEqualTo(Keyring.of(A, B));
        assertThat(Keyring.of(A, B).withPrimary(B).withPrimary(A)).isEqualTo(Keyring.of(A, B));
    }

    private static byte[] filled(int length, int value) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
