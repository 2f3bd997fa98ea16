package dev.gossip.core.security;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys a node encrypts and decrypts gossip with, as in memberlist's {@code Keyring}
 * (docs/protocol.md §3.5): an ordered list where index 0 is the <em>primary</em> key, the
 * only one used to encrypt, and every key is tried, in order, to decrypt.
 *
 * <p>Immutable: key rotation ({@code serf keys -install / -use / -remove}) produces a new ring
 * through {@link #withKey}, {@link #withPrimary} and {@link #without}, which the node swaps in
 * atomically. Keys are 16, 24 or 32 bytes (AES-128/192/256); {@code serf keygen} makes 32.
 *
 * <p>Key bytes are secret: {@link #toString()} and every error message name keys by position
 * only, and accessors hand out copies so no caller can change a ring another thread is using.
 */
public final class Keyring {

    private static final String KEYGEN_HINT = "(generate one with `serf keygen`)";

    /** Key bytes, primary first, no duplicates. Never exposed without copying. */
    private final byte[][] keys;

    /** Same keys, ready for {@code Cipher.init}; built once so each packet skips it. */
    private final SecretKeySpec[] specs;

    private Keyring(List<byte[]> keys) {
        this.keys = keys.toArray(new byte[0][]);
        this.specs = new SecretKeySpec[this.keys.length];
        for (int i = 0; i < this.keys.length; i++) {
            specs[i] = new SecretKeySpec(this.keys[i], "AES");
        }
    }

    /**
     * A ring holding {@code keys} in the given order; the first is primary. A key repeated later
     * in the list is dropped, as memberlist's {@code AddKey} ignores an installed key.
     *
     * @throws IllegalArgumentException if no key is given or a key has an invalid length
     */
    public static Keyring of(byte[]... keys) {
        Objects.requireNonNull(keys, "keys");
        requireAtLeastOne(keys.length);
        List<byte[]> list = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                throw new IllegalArgumentException("Encryption key #" + (i + 1) + " is null");
            }
            requireAesLength(keys[i].length, "Encryption key #" + (i + 1) + " is ");
            addIfAbsent(list, keys[i].clone());
        }
        return new Keyring(list);
    }

    /**
     * A ring from base64 strings, as given to {@code serf agent -encrypt} or found in a serf
     * keyring file; the first is primary. Surrounding whitespace is ignored (config files end in
     * newlines). Errors name the key by its 1-based position and never echo it.
     *
     * @throws IllegalArgumentException naming the first bad key and what to change
     */
    public static Keyring fromBase64(List<String> base64Keys) {
        Objects.requireNonNull(base64Keys, "base64Keys");
        requireAtLeastOne(base64Keys.size());
        List<byte[]> list = new ArrayList<>(base64Keys.size());
        for (int i = 0; i < base64Keys.size(); i++) {
            String label = "Encryption key #" + (i + 1);
            String text = base64Keys.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(label + " is empty; give a base64 AES key "
                        + KEYGEN_HINT);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(text.strip());
            } catch (IllegalArgumentException e) {
                // The JDK message names the offending character or length, never the whole key.
                throw new IllegalArgumentException(label + " is not valid base64: " + e.getMessage()
                        + "; give the standard base64 text printed by `serf keygen`", e);
            }
            requireAesLength(key.length, label + " decodes to ");
            addIfAbsent(list, key);
        }
        return new Keyring(list);
    }

    /** The key new packets are encrypted with (a copy). */
    public byte[] primaryKey() {
        return keys[0].clone();
    }

    /** All keys, primary first (copies). */
    public List<byte[]> keys() {
        List<byte[]> copy = new ArrayList<>(keys.length);
        for (byte[] key : keys) {
            copy.add(key.clone());
        }
        return List.copyOf(copy);
    }

    /** Number of keys (at least 1). */
    public int size() {
        return keys.length;
    }

    /** Whether {@code key} is on the ring. */
    public boolean contains(byte[] key) {
        return indexOf(key) >= 0;
    }

    /** The keys as standard base64, primary first, as {@code serf keys -list} shows them. */
    public List<String> base64Keys() {
        List<String> out = new ArrayList<>(keys.length);
        for (byte[] key : keys) {
            out.add(Base64.getEncoder().encodeToString(key));
        }
        return List.copyOf(out);
    }

    /**
     * Installs {@code key} for decryption ({@code serf keys -install}): appended after the
     * existing keys, the primary unchanged. Installing a key already present returns this ring,
     * as memberlist's {@code AddKey} does.
     *
     * @throws IllegalArgumentException if the key length is not 16, 24 or 32
     */
    public Keyring withKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        requireAesLength(key.length, "The new encryption key is ");
        if (contains(key)) {
            return this;
        }
        List<byte[]> list = new ArrayList<>(List.of(keys));
        list.add(key.clone());
        return new Keyring(list);
    }

    /**
     * Makes an installed key primary ({@code serf keys -use}). The other keys keep their order,
     * after it, as memberlist's {@code installKeys} arranges them.
     *
     * @throws IllegalArgumentException if the key is not on the ring
     */
    public Keyring withPrimary(byte[] key) {
        Objects.requireNonNull(key, "key");
        int index = indexOf(key);
        if (index < 0) {
            throw new IllegalArgumentException("That key is not in the keyring; install it first "
                    + "(withKey / `serf keys -install`), then make it primary");
        }
        if (index == 0) {
            return this;
        }
        List<byte[]> list = new ArrayList<>(keys.length);
        list.add(keys[index]);
        for (int i = 0; i < keys.length; i++) {
            if (i != index) {
                list.add(keys[i]);
            }
        }
        return new Keyring(list);
    }

    /**
     * Removes a key ({@code serf keys -remove}). Removing a key that is not present returns this
     * ring, as in memberlist.
     *
     * @throws IllegalArgumentException if {@code key} is the primary key
     */
    public Keyring without(byte[] key) {
        Objects.requireNonNull(key, "key");
        int index = indexOf(key);
        if (index == 0) {
            throw new IllegalArgumentException("Cannot remove the primary key; make another key "
                    + "primary first (withPrimary / `serf keys -use`), then remove this one");
        }
        if (index < 0) {
            return this;
        }
        List<byte[]> list = new ArrayList<>(List.of(keys));
        list.remove(index);
        return new Keyring(list);
    }

    /** Keys ready for the cipher, primary first. Shared, not copied: callers must not modify. */
    SecretKeySpec[] secretKeys() {
        return specs;
    }

    /** Same keys in the same order. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Keyring other) || other.keys.length != keys.length) {
            return false;
        }
        for (int i = 0; i < keys.length; i++) {
            if (!MessageDigest.isEqual(keys[i], other.keys[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (byte[] key : keys) {
            h = 31 * h + Arrays.hashCode(key);
        }
        return h;
    }

    /** Shows how many keys, never the keys: rings end up in logs and exception messages. */
    @Override
    public String toString() {
        return "Keyring[" + keys.length + (keys.length == 1 ? " key]" : " keys]");
    }

    private int indexOf(byte[] key) {
        for (int i = 0; i < keys.length; i++) {
            // Constant-time compare: cheap, and key material deserves it.
            if (MessageDigest.isEqual(keys[i], key)) {
                return i;
            }
        }
        return -1;
    }

    private static void addIfAbsent(List<byte[]> list, byte[] key) {
        for (byte[] existing : list) {
            if (MessageDigest.isEqual(existing, key)) {
                return;
            }
        }
        list.add(key);
    }

    private static void requireAtLeastOne(int count) {
        if (count == 0) {
            throw new IllegalArgumentException("No encryption keys given; a keyring needs at least "
                    + "one base64 AES key " + KEYGEN_HINT);
        }
    }

    /** AES-128/192/256 only (§3.5); memberlist's {@code ValidateKey}. */
    private static void requireAesLength(int length, String prefix) {
        if (length != 16 && length != 24 && length != 32) {
            throw new IllegalArgumentException(prefix + length + " bytes; AES keys must be 16, 24 "
                    + "or 32 bytes " + KEYGEN_HINT);
        }
    }
}
