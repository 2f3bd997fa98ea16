package dev.gossip.spring.client;

import static dev.gossip.spring.client.FakeCatalog.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * What a hostile or broken catalog can send a thin client: mutated event streams go through the
 * event reader, the JSON parser and the replica. Every bad event is one of the two rejections the
 * watcher counts (and then resyncs from a snapshot); nothing else escapes, and whatever was
 * applied leaves the index equal to the replica.
 */
class CatalogEventFuzzTest {

    private static final int CASES = 10_000;
    /** Bytes that matter to JSON and to the event format. */
    private static final String JSON_BYTES = "{}[]\":,\n\\0e-";
    private final JsonParser json = JsonParserFactory.getJsonParser();

    @Test
    void mutatedStreamsAreRejectedOrApplied() {
        Random random = new Random(0x5EED);
        String[] valid = {
            "event: snapshot\nid: 1\ndata: " + FakeCatalog.snapshot(Map.of("greeter",
                    List.of(instance("greeter", "g1", 8081, false), instance("greeter", "g2", 8082, true)))) + "\n\n",
            "event: service\nid: 2\ndata: {\"index\":2,\"service\":\"greeter\",\"instances\":["
                    + instance("greeter", "g3", 8083, false, "zone", "z1") + "]}\n\n",
            "event: service\nid: 3\ndata: {\"index\":3,\"service\":\"greeter\",\"instances\":[]}\n\n",
            ": keep-alive\n\n",
        };
        int rejected = 0;
        int applied = 0;
        for (int i = 0; i < CASES; i++) {
            CatalogReplica replica = new CatalogReplica(Set.of("UP"));
            StringBuilder stream = new StringBuilder(valid[0]);
            for (int n = random.nextInt(4); n > 0; n--) {
                stream.append(valid[1 + random.nextInt(valid.length - 1)]);
            }
            byte[] bytes = mutate(stream.toString().getBytes(StandardCharsets.UTF_8), random);
            ServerSentEventReader reader = new ServerSentEventReader(new ByteArrayInputStream(bytes), 4096);
            try {
                ServerSentEventReader.Event e;
                while ((e = reader.next()) != null) {
                    Map<String, Object> data;
                    try {
                        data = json.parseMap(e.data());
                    } catch (RuntimeException bad) {
                        throw new CatalogReplica.BadCatalogException(bad.getMessage());
                    }
                    if (e.type().equals("snapshot")) {
                        replica.snapshot(data);
                    } else if (e.type().equals("service") && replica.synced()) {
                        replica.service(data);
                    }
                    applied++;
                }
            } catch (ServerSentEventReader.TooLargeException | CatalogReplica.BadCatalogException expected) {
                rejected++;
            } catch (IOException e) {
                throw new AssertionError("a byte array stream does not fail", e);
            }
            assertConsistent(replica);
        }
        assertThat(rejected).as("mutations that broke an event").isGreaterThan(CASES / 10);
        assertThat(applied).as("events that survived their mutation").isGreaterThan(CASES / 10);
    }

    /** Flips, drops, duplicates or inserts a few bytes, sometimes none. */
    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        int edits = random.nextInt(4);
        for (int k = 0; k < edits && out.length > 1; k++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) JSON_BYTES.charAt(random.nextInt(JSON_BYTES.length()));
                case 2 -> out = java.util.Arrays.copyOf(out, at); // cut short
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = out[at];
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    /** The index lists exactly the replica's members, each under its service. */
    private static void assertConsistent(CatalogReplica replica) {
        ServiceIndex index = replica.index();
        Set<String> listed = new TreeSet<>();
        for (String service : index.services()) {
            index.allInstances(service).forEach(i -> listed.add(((GossipServiceInstance) i).getMemberName()));
        }
        Set<String> members = new TreeSet<>();
        replica.members().forEach(m -> members.add(m.name()));
        assertThat(listed).isSubsetOf(members);
    }
}
