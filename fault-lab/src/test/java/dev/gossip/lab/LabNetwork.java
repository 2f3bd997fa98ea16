package dev.gossip.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts on a private switch, all inside network namespaces: a switch namespace with a bridge, and
 * per host a namespace whose {@code eth0} is a veth into that bridge, with an address from
 * 198.18.{@code subnet}.0/24 (the benchmarking range). Nothing is added to the machine's own
 * namespace, so no lab address or route exists outside and no packet can leave.
 *
 * <p>Each host has an nftables table {@code inet lab} with an input chain that faults fill (drops
 * by source address, random loss with {@code numgen random}). Every namespace is named
 * {@code glab-<tag>-...}; opening a network first removes those left by an aborted run (killing
 * the processes still inside them), and {@link #close()} removes everything it made.
 */
final class LabNetwork implements AutoCloseable {

    static final String PREFIX = "glab-";

    /** One host: its namespace and address on the lab switch. */
    record Host(String name, String namespace, String address) {}

    private final String tag;
    private final int subnet;
    private final String switchNs;
    private final List<Host> hosts = new ArrayList<>();
    private final Map<Host, List<String>> rules = new ConcurrentHashMap<>();

    LabNetwork(String tag, int subnet) {
        this.tag = tag;
        this.subnet = subnet;
        removeStale(PREFIX + tag + "-");
        this.switchNs = PREFIX + tag + "-sw";
        Sh.run("ip", "netns", "add", switchNs);
        Sh.run("ip", "-n", switchNs, "link", "add", "br0", "type", "bridge");
        Sh.run("ip", "-n", switchNs, "link", "set", "br0", "up");
    }

    /** A new host on the switch, with the next free address. */
    synchronized Host addHost(String name) {
        int index = hosts.size() + 1;
        if (index > 200) {
            throw new IllegalStateException("A lab network has at most 200 hosts");
        }
        String ns = PREFIX + tag + "-" + name + (hosts.stream().anyMatch(h -> h.name().equals(name)) ? "-" + index : "");
        String veth = "v" + index;
        Host host = new Host(name, ns, "198.18." + subnet + "." + (index + 10));
        Sh.run("ip", "netns", "add", ns);
        Sh.run("ip", "-n", switchNs, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Sh.run("ip", "-n", switchNs, "link", "set", veth, "master", "br0", "up");
        Sh.run("ip", "-n", ns, "addr", "add", host.address() + "/24", "dev", "eth0");
        Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
        Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
        Sh.runWithInput("table inet lab {\n  chain input {\n    type filter hook input priority 0; policy accept;\n  }\n}\n",
                "ip", "netns", "exec", ns, "nft", "-f", "-");
        hosts.add(host);
        return host;
    }

    /**
     * Replaces the host's input rules (nft rule bodies, e.g. {@code ip saddr 198.18.1.11 drop})
     * in one atomic nft transaction. Only packets arriving on eth0 are filtered, never loopback.
     */
    void setInputRules(Host host, List<String> bodies) {
        StringBuilder script = new StringBuilder("flush chain inet lab input\n");
        for (String body : bodies) {
            script.append("add rule inet lab input iifname \"eth0\" ").append(body).append('\n');
        }
        Sh.runWithInput(script.toString(), "ip", "netns", "exec", host.namespace(), "nft", "-f", "-");
        rules.put(host, List.copyOf(bodies));
    }

    /** Takes the host's link down or up (a flap is down, then up). */
    void setLink(Host host, boolean up) {
        Sh.run("ip", "-n", host.namespace(), "link", "set", "eth0", up ? "up" : "down");
    }

    /** The command prefix that runs a program inside the host (ip netns exec keeps the PID). */
    static List<String> inside(Host host) {
        return List.of("ip", "netns", "exec", host.namespace());
    }

    @Override
    public synchronized void close() {
        removeStale(PREFIX + tag + "-");
        hosts.clear();
    }

    /** Removes every namespace whose name starts with {@code prefix}, killing what still runs inside. */
    static void removeStale(String prefix) {
        for (String line : Sh.run("ip", "netns", "list").split("\n")) {
            String ns = line.split(" ")[0].trim();
            if (!ns.startsWith(prefix)) {
                continue;
            }
            for (String pid : Sh.tryRun(null, "ip", "netns", "pids", ns).output().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    Sh.tryRun(null, "kill", "-9", pid);
                    Sh.tryRun(null, "kill", "-CONT", pid);
                }
            }
            Sh.tryRun(null, "ip", "netns", "del", ns);
        }
    }
}
