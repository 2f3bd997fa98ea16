package dev.gossip.core;

/** Byte-array helpers shared by the tests that build packets by hand. */
public final class TestBytes {

    private TestBytes() {}

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
