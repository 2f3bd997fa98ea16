package dev.gossip.lab;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.security.Keyring;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A plain gossip-core node for the fault lab: LAN timings (as {@code serf agent}), joins its
 * seeds, prints its view every 100 ms on stdout ({@link ViewLine}) and obeys one-word commands on
 * stdin: {@code leave} leaves gracefully and exits. When stdin closes (the harness is gone) it
 * stops, so an aborted run leaves no node behind.
 *
 * <p>Arguments: {@code --name=N --bind=IP --port=P [--seeds=ip:port,...] [--keys=base64,...]
 * [--tags=k=v,...]}.
 */
public final class LabNode {

    private LabNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        GossipConfig.Builder config = GossipConfig.builder()
                .nodeName(a.get("name"))
                .bindAddress(a.get("bind"))
                .bindPort(Integer.parseInt(a.getOrDefault("port", "7946")))
                .seeds(list(a.get("seeds")));
        List<String> keys = list(a.get("keys"));
        if (!keys.isEmpty()) {
            config.keyring(Keyring.fromBase64(keys));
        }
        Map<String, String> tags = new HashMap<>();
        for (String kv : list(a.get("tags"))) {
            int eq = kv.indexOf('=');
            tags.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        config.tags(tags);

        GossipNode node = GossipNode.create(config.build());
        node.start().get(30, TimeUnit.SECONDS);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> sample(node, out), 0, 100, TimeUnit.MILLISECONDS);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.trim().equals("leave")) {
                node.leave().get(node.config().timings().leaveTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
                break;
            }
        }
        sampler.shutdownNow();
        node.shutdown();
        System.exit(0);
    }

    private static void sample(GossipNode node, PrintStream out) {
        if (!node.isRunning()) {
            // Shut down by the node itself (a lost name-conflict vote): the process must end too,
            // so that the harness sees a stopped node, not a process that samples nothing.
            System.err.println("gossip node stopped on its own: exiting");
            System.exit(3);
        }
        try {
            long memberTime = Long.parseUnsignedLong(node.serfStats().get(1, TimeUnit.SECONDS).get("member_time"));
            Map<String, ViewLine.Entry> view = new TreeMap<>();
            for (Member m : node.members()) {
                String status = m.suspect() ? "suspect" : m.status().serfName();
                view.put(m.name(), new ViewLine.Entry(status, m.incarnation(),
                        m.address().getHostAddress() + ":" + m.port()));
            }
            out.println(ViewLine.format(System.currentTimeMillis(), memberTime, view));
            out.flush();
        } catch (Exception e) {
            // A late sample (the node's thread busy for a second) is a gap in the history, not a crash.
            System.err.println("sample skipped: " + e);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
                throw new IllegalArgumentException("Expected --key=value, got " + arg);
            }
            a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return a;
    }

    static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).toList();
    }
}
