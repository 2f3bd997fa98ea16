package dev.gossip.core.security;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-thread {@code AES/GCM/NoPadding} ciphers, initialised for one operation at a time.
 *
 * <p>{@code Cipher.getInstance} walks the provider list on every call; gossip encrypts and
 * decrypts a packet per probe and per broadcast, so each thread keeps one instance per direction
 * and re-initialises it with the packet's key and nonce. A {@code Cipher} is not thread-safe,
 * hence the thread confinement.
 */
final class GcmCiphers {

    /** GCM tag in bits: memberlist uses Go's default 16-byte tag (§3.5). */
    private static final int TAG_BITS = 128;

    private static final ThreadLocal<Cipher> ENCRYPT = ThreadLocal.withInitial(GcmCiphers::newCipher);
    private static final ThreadLocal<Cipher> DECRYPT = ThreadLocal.withInitial(GcmCiphers::newCipher);

    private GcmCiphers() {
    }

    /**
     * A cipher ready to encrypt with {@code key} and the nonce at {@code nonce[off, off+12)}.
     *
     * <p>The JDK refuses to re-initialise an instance for encryption with the key and nonce it
     * used last, a guard against nonce reuse. Nonces are 96 random bits from a
     * {@code SecureRandom}, so that only fires on a real reuse: it is left to fail loudly.
     */
    static Cipher forEncryption(SecretKeySpec key, byte[] nonce, int off) {
        Cipher cipher = ENCRYPT.get();
        init(cipher, Cipher.ENCRYPT_MODE, key,
                new GCMParameterSpec(TAG_BITS, nonce, off, Encryption.NONCE_SIZE));
        return cipher;
    }

    /** A cipher ready to decrypt with {@code key} and the nonce at {@code nonce[off, off+12)}. */
    static Cipher forDecryption(SecretKeySpec key, byte[] nonce, int off) {
        Cipher cipher = DECRYPT.get();
        init(cipher, Cipher.DECRYPT_MODE, key,
                new GCMParameterSpec(TAG_BITS, nonce, off, Encryption.NONCE_SIZE));
        return cipher;
    }

    private static void init(Cipher cipher, int mode, SecretKeySpec key, GCMParameterSpec params) {
        try {
            cipher.init(mode, key, params);
        } catch (GeneralSecurityException e) {
            // Keys are validated by Keyring and any fresh 12-byte nonce is legal: this is the
            // JVM's crypto setup failing or a nonce reused under one key, not bad input.
            throw new IllegalStateException("AES-GCM refused a " + key.getEncoded().length
                    + "-byte key", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no AES/GCM/NoPadding cipher", e);
        }
    }
}
