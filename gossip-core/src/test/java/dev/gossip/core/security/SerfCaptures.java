package dev.gossip.core.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real serf traffic in {@code src/test/resources/serf-captures} (copied unchanged from the
 * shared capture folder; see its README). No JSON library on the test classpath, so the
 * {@code "hex"} fields are pulled out with a regex, split by the section they appear in.
 */
final class SerfCaptures {

    /** The throwaway key {@code encrypted.json} was captured with. */
    static final String CAPTURE_KEY = "Q8v625bjjb/qpvT+vsh/znm6HxWrsn6vLv3IVYJn2Ks=";

    private static final Pattern HEX = Pattern.compile("\"hex\"\\s*:\\s*\"([0-9a-fA-F]*)\"");

    /** UDP payloads, in capture order. */
    final List<byte[]> datagrams;

    /** TCP byte streams, one per connection direction, each reassembled in order. */
    final List<byte[]> streams;

    private SerfCaptures(List<byte[]> datagrams, List<byte[]> streams) {
        this.datagrams = datagrams;
        this.streams = streams;
    }

    static SerfCaptures load(String name) {
        String json = resource("/serf-captures/" + name);
        int tcpStart = json.indexOf("\"tcp_streams\"");
        if (tcpStart < 0) {
            throw new IllegalStateException(name + " has no tcp_streams section");
        }
        return new SerfCaptures(hexFields(json.substring(0, tcpStart)),
                hexFields(json.substring(tcpStart)));
    }

    static Keyring captureKeyring() {
        return Keyring.fromBase64(List.of(CAPTURE_KEY));
    }

    private static List<byte[]> hexFields(String json) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = HEX.matcher(json);
        while (m.find()) {
            out.add(HexFormat.of().parseHex(m.group(1)));
        }
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = SerfCaptures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
