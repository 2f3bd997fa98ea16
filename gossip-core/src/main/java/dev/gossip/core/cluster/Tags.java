package dev.gossip.core.cluster;

import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.MsgWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Serf tags as memberlist meta (§7.5): {@code 0xFF ‖ msgpack map}, or a legacy bare role. */
public final class Tags {

    /** memberlist's MetaMaxSize. */
    public static final int MAX_META_BYTES = 512;

    private static final int MAGIC = 0xFF;

    private Tags() {}

    /**
     * Encodes tags, refusing more than 512 bytes with a message that says how big they are.
     *
     * @throws IllegalArgumentException when the encoded tags are too large
     */
    public static byte[] encode(Map<String, String> tags) {
        byte[] body = new MsgWriter().stringMap(tags).toByteArray();
        byte[] meta = new byte[body.length + 1];
        meta[0] = (byte) MAGIC;
        System.arraycopy(body, 0, meta, 1, body.length);
        if (meta.length > MAX_META_BYTES) {
            throw new IllegalArgumentException("Encoded tags are " + meta.length
                    + " bytes; Serf allows at most " + MAX_META_BYTES
                    + ". Remove tags or shorten their keys and values.");
        }
        return meta;
    }

    /**
     * Decodes meta into an immutable map; anything without the magic byte is the value of a
     * single {@code role} tag.
     */
    public static Map<String, String> decode(byte[] meta) throws MalformedMessageException {
        if (meta == null || meta.length == 0 || (meta[0] & 0xff) != MAGIC) {
            return Map.of("role", meta == null ? "" : new String(meta, StandardCharsets.UTF_8));
        }
        // Immutable, so that every Member snapshot of this member shares it (Map.copyOf is then free).
        return Map.copyOf(new MsgReader(meta, 1, meta.length - 1).stringMap());
    }
}
