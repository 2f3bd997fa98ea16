package dev.gossip.core.wire;

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
 * The real serf 0.9.4 traffic in {@code src/test/resources/serf-captures} (copied unchanged from
 * the shared capture folder; see its README), with each record's time and endpoints. Like
 * {@code security.SerfCaptures} it reads the JSON with a regex (no JSON library on the test
 * classpath), but it also checks that every {@code "hex"} field was matched by a full record, so a
 * format change cannot silently shrink the test vectors.
 */
public final class SerfCapture {

    /** The throwaway key {@code encrypted.json} was captured with (see the README). */
    public static final String CAPTURE_KEY = "Q8v625bjjb/qpvT+vsh/znm6HxWrsn6vLv3IVYJn2Ks=";

    private static final Pattern HEX = Pattern.compile("\"hex\"\\s*:\\s*\"([0-9a-fA-F]*)\"");
    private static final Pattern RECORD = Pattern.compile(
            "\\{\\s*\"t\"\\s*:\\s*([0-9.eE+-]+)\\s*,\\s*\"from\"\\s*:\\s*\"([^\"]*)\"\\s*,"
                    + "\\s*\"to\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"hex\"\\s*:\\s*\"([0-9a-fA-F]*)\"\\s*}");

    /** One captured UDP payload or one reassembled TCP direction. */
    public record Entry(int index, double t, String from, String to, byte[] bytes) {
        public int fromPort() {
            return port(from);
        }

        public int toPort() {
            return port(to);
        }

        private static int port(String hostPort) {
            return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        }

        @Override
        public String toString() {
            return "#" + index + " " + from + "->" + to + " (" + bytes.length + " bytes)";
        }
    }

    public final List<Entry> datagrams;
    public final List<Entry> streams;

    private SerfCapture(List<Entry> datagrams, List<Entry> streams) {
        this.datagrams = List.copyOf(datagrams);
        this.streams = List.copyOf(streams);
    }

    public static SerfCapture plain() {
        return load("plain.json");
    }

    public static SerfCapture encrypted() {
        return load("encrypted.json");
    }

    public static SerfCapture load(String name) {
        String json = resource("/serf-captures/" + name);
        int tcpStart = json.indexOf("\"tcp_streams\"");
        if (tcpStart < 0) {
            throw new IllegalStateException(name + " has no tcp_streams section");
        }
        return new SerfCapture(records(name, json.substring(0, tcpStart)),
                records(name, json.substring(tcpStart)));
    }

    private static List<Entry> records(String name, String json) {
        List<Entry> out = new ArrayList<>();
        Matcher m = RECORD.matcher(json);
        while (m.find()) {
            out.add(new Entry(out.size(), Double.parseDouble(m.group(1)), m.group(2), m.group(3),
                    HexFormat.of().parseHex(m.group(4))));
        }
        int hexFields = 0;
        Matcher h = HEX.matcher(json);
        while (h.find()) {
            hexFields++;
        }
        if (hexFields != out.size()) {
            throw new IllegalStateException(name + ": " + hexFields + " hex fields but only "
                    + out.size() + " complete {t, from, to, hex} records");
        }
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = SerfCapture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
