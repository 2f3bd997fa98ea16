package dev.gossip.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One lab run: hosts on a {@link LabNetwork}, a process per host, faults as small operations, and
 * the {@link History} of every node's view. Everything is written under
 * {@code target/fault-lab/<scenario>/}: {@code history.jsonl} and one log per process.
 */
final class Lab implements AutoCloseable {

    static final int GOSSIP_PORT = 7946;
    static final int SERF_RPC_PORT = 7373;
    static final int HTTP_PORT = 8080;
    static final Path ROOT = Path.of("target", "fault-lab");

    private static final List<String> JVM = List.of("-Xmx48m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Dorg.slf4j.simpleLogger.logFile=System.err");

    final String scenario;
    final Path dir;
    final History history = new History(System.currentTimeMillis());
    private final LabNetwork network;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, History.Observation> latest = new ConcurrentHashMap<>();
    private final List<Window> windows = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<Traffic> traffic = new ArrayList<>();
    private final Thread cleanupOnExit;
    private String encryptKey;

    private Lab(String scenario, String tag, int subnet) throws IOException {
        this.scenario = scenario;
        this.dir = ROOT.resolve(scenario);
        Files.createDirectories(dir.resolve("logs"));
        this.network = new LabNetwork(tag, subnet);
        // Ctrl-C of the build: no serf agent or namespace outlives it.
        this.cleanupOnExit = new Thread(this::stopAll, "lab-cleanup-" + scenario);
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * Opens a run (skipping or failing, on CI, where the lab can't run). {@code tag} names its
     * namespaces and {@code subnet} is its 198.18.x.0/24: both unique per scenario, so scenarios
     * may run side by side.
     */
    static Lab open(String scenario, String tag, int subnet, boolean serf) throws IOException {
        LabEnvironment.require(serf);
        return new Lab(scenario, tag, subnet);
    }

    /** Every node started from now on encrypts with this key (base64, as serf's -encrypt). */
    void encryptWith(String base64Key) {
        this.encryptKey = base64Key;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    // ---- processes ----

    /** A new host with a Java lab node that joins {@code seeds}. */
    Node java(String name, Node... seeds) {
        Node n = onNewHost(name, Node.Kind.JAVA);
        startJava(n, seeds);
        return n;
    }

    /** A new host with a serf agent that joins (and retries joining) {@code seeds}. */
    Node serf(String name, Node... seeds) {
        Node n = onNewHost(name, Node.Kind.SERF);
        startSerf(n, seeds);
        return n;
    }

    /**
     * A new host with a sample-app instance ({@code sample-app/target/sample-app.jar}) in the given
     * Spring profile (greeter, frontend), HTTP on port 8080, gossip on the host's address.
     */
    Node spring(String name, String profile, Node... seeds) {
        Node n = onNewHost(name, Node.Kind.SPRING);
        n.args = List.of("--spring.profiles.active=" + profile, "--server.port=" + HTTP_PORT);
        startSpring(n, seeds);
        return n;
    }

    private Node onNewHost(String name, Node.Kind kind) {
        Node n = new Node(name, kind);
        nodes.put(name, n);
        n.host = network.addHost(name);
        return n;
    }

    private void startSpring(Node n, Node... seeds) {
        Path jar = Path.of("..", "sample-app", "target", "sample-app.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The lab runs " + jar + ": build it first (./mvnw -B package -pl sample-app -am"
                    + " -DskipTests, or ./mvnw verify from the root, which builds it before the lab)");
        }
        n.seeds = seeds.length > 0 ? seeds : n.seeds;
        List<String> cmd = new ArrayList<>(LabNetwork.inside(n.host));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-jar",
                jar.toString()));
        cmd.addAll(n.args);
        cmd.addAll(List.of("--spring.cloud.gossip.node-name=" + n.name, "--spring.cloud.gossip.bind-address=" + n.address(),
                "--spring.cloud.gossip.bind-port=" + GOSSIP_PORT, "--spring.cloud.gossip.seeds=" + seedList(n.seeds, ",")));
        n.life++;
        Path log = dir.resolve("logs").resolve(n.name + "-" + n.life + ".log");
        try {
            n.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + cmd + ": " + e, e);
        }
    }

    /** A {@link LabTraffic} loop inside {@code frontend}'s host, calling its {@code path}. */
    Traffic traffic(Node frontend, String path, int perSecond, Duration timeout) {
        List<String> cmd = new ArrayList<>(LabNetwork.inside(frontend.host));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LabTraffic.class.getName(),
                "--url=http://127.0.0.1:" + HTTP_PORT + path, "--rate=" + perSecond, "--timeout-ms=" + timeout.toMillis()));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("logs").resolve("traffic.log").toFile())).start();
            Traffic t = new Traffic(history, p);
            traffic.add(t);
            return t;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + cmd + ": " + e, e);
        }
    }

    /** SIGTERM, then waits for the process to end: a Spring app leaves gracefully and drains. */
    void stop(Node n) {
        history.mark("stop", List.of(n.name), "SIGTERM");
        Sh.run("kill", "-TERM", Long.toString(n.pid()));
        waitFor(n.process);
    }

    private void startJava(Node n, Node... seeds) {
        n.seeds = seeds;
        List<String> cmd = new ArrayList<>(LabNetwork.inside(n.host));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LabNode.class.getName(),
                "--name=" + n.name, "--bind=" + n.address(), "--port=" + GOSSIP_PORT,
                "--seeds=" + seedList(seeds, ",")));
        if (encryptKey != null) {
            cmd.add("--keys=" + encryptKey);
        }
        n.life++;
        n.process = launch(n, cmd, "");
        read(n, n.life, n.process);
    }

    private void startSerf(Node n, Node... seeds) {
        n.seeds = seeds;
        List<String> cmd = new ArrayList<>(LabNetwork.inside(n.host));
        cmd.addAll(List.of("serf", "agent", "-node=" + n.name, "-bind=" + n.gossipAddress(),
                "-rpc-addr=127.0.0.1:" + SERF_RPC_PORT, "-log-level=debug", "-retry-interval=1s"));
        for (Node s : seeds) {
            cmd.add("-retry-join=" + s.gossipAddress());
        }
        if (encryptKey != null) {
            cmd.add("-encrypt=" + encryptKey);
        }
        n.life++;
        n.process = launch(n, cmd, "");
        List<String> watch = new ArrayList<>(LabNetwork.inside(n.host));
        watch.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        watch.addAll(JVM);
        watch.addAll(List.of("-cp", System.getProperty("java.class.path"), SerfWatch.class.getName(),
                "--rpc=127.0.0.1:" + SERF_RPC_PORT));
        n.watcher = launch(n, watch, "-watch");
        read(n, n.life, n.watcher);
    }

    private static String seedList(Node[] seeds, String sep) {
        List<String> out = new ArrayList<>();
        for (Node s : seeds) {
            out.add(s.gossipAddress());
        }
        return String.join(sep, out);
    }

    private Process launch(Node n, List<String> cmd, String suffix) {
        Path log = dir.resolve("logs").resolve(n.name + "-" + n.life + suffix + ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (n.kind == Node.Kind.SERF && suffix.isEmpty()) {
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + cmd + ": " + e, e);
        }
    }

    /** Feeds the process's view lines into the history and the latest-view map. */
    private void read(Node n, int life, Process p) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(ViewLine.PREFIX)) {
                        History.Observation o = parse(n.name, life, line);
                        history.observe(o);
                        latest.put(n.name, o);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "lab-read-" + n.name + "-" + life);
        t.setDaemon(true);
        t.start();
        synchronized (readers) {
            readers.add(t);
        }
    }

    private History.Observation parse(String observer, int life, String line) {
        String[] f = line.split(" ");
        Map<String, History.View> view = new LinkedHashMap<>();
        for (int i = 3; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            String[] v = f[i].substring(eq + 1).split("/", 3);
            view.put(f[i].substring(0, eq), new History.View(v[0], Long.parseLong(v[1]), v[2]));
        }
        return new History.Observation(Long.parseLong(f[1]) - history.origin(), observer, life, Long.parseLong(f[2]),
                Map.copyOf(view));
    }

    // ---- faults ----

    /** kill -9: the process dies at once, telling no one. */
    void kill(Node n) {
        history.mark("kill", List.of(n.name), "SIGKILL");
        n.process.destroyForcibly();
        if (n.watcher != null) {
            n.watcher.destroyForcibly();
        }
    }

    /** A graceful leave: {@code leave} on a lab node's stdin, SIGINT to a serf agent. */
    void leave(Node n) {
        history.mark("leave", List.of(n.name), "");
        if (n.kind == Node.Kind.JAVA) {
            n.tell("leave");
        } else {
            Sh.run("kill", "-INT", Long.toString(n.pid()));
        }
    }

    /** SIGSTOP until the window ends (SIGCONT): a GC pause or a frozen VM. */
    Window pause(Node n) {
        Sh.run("kill", "-STOP", Long.toString(n.pid()));
        int f = history.begin("pause", List.of(n.name), "SIGSTOP");
        return new Window(f, Map.of(), () -> Sh.run("kill", "-CONT", Long.toString(n.pid())));
    }

    /** Neither side hears the other (drops at each receiver). */
    Window partition(Collection<Node> a, Collection<Node> b) {
        Map<Node, List<String>> rules = new HashMap<>();
        a.forEach(x -> rules.put(x, List.of("ip saddr " + addressSet(b) + " drop")));
        b.forEach(x -> rules.put(x, List.of("ip saddr " + addressSet(a) + " drop")));
        List<String> targets = new ArrayList<>(names(a));
        targets.add("|");
        targets.addAll(names(b));
        return open("partition", targets, "", rules);
    }

    /** {@code listener} hears nothing from {@code silenced}; they still hear it. */
    Window oneWay(Node listener, Collection<Node> silenced) {
        List<String> targets = new ArrayList<>(List.of(listener.name, "|"));
        targets.addAll(names(silenced));
        return open("oneway", targets, "", Map.of(listener, List.of("ip saddr " + addressSet(silenced) + " drop")));
    }

    /** Random loss {@code p} on every packet arriving at these hosts (so on each link direction into them). */
    Window loss(Collection<Node> hosts, double p) {
        int perMille = (int) Math.round(p * 1000);
        Map<Node, List<String>> rules = new HashMap<>();
        hosts.forEach(x -> rules.put(x, List.of("numgen random mod 1000 < " + perMille + " drop")));
        return open("loss", names(hosts), String.format("p=%.2f", p), rules);
    }

    /** The host's link down until the window ends. */
    Window linkDown(Node n) {
        network.setLink(n.host, false);
        int f = history.begin("flap", List.of(n.name), "eth0 down");
        LabNetwork.Host host = n.host;
        return new Window(f, Map.of(), () -> network.setLink(host, true));
    }

    /** Starts the node again under the same name; on a new host (new address) if {@code newAddress}. */
    void restart(Node n, boolean newAddress, Node... seeds) {
        if (n.running()) {
            kill(n);
            waitFor(n.process);
        }
        String from = n.address();
        if (newAddress) {
            n.host = network.addHost(n.name);
        }
        history.mark("restart", List.of(n.name), from + " -> " + n.address());
        Node[] joins = seeds.length > 0 ? seeds : n.seeds;
        switch (n.kind) {
            case JAVA -> startJava(n, joins);
            case SERF -> startSerf(n, joins);
            case SPRING -> startSpring(n, joins);
        }
    }

    /** Runs {@code serf <args>} against a serf host's agent, from inside that host. */
    String serfCommand(Node n, String... args) {
        List<String> cmd = new ArrayList<>(LabNetwork.inside(n.host));
        cmd.add("serf");
        cmd.add(args[0]);
        cmd.add("-rpc-addr=127.0.0.1:" + SERF_RPC_PORT);
        cmd.addAll(List.of(args).subList(1, args.length));
        return Sh.run(cmd.toArray(String[]::new));
    }

    private synchronized Window open(String kind, List<String> targets, String detail, Map<Node, List<String>> rules) {
        Window w = new Window(history.begin(kind, targets, detail), rules, null);
        windows.add(w);
        applyRules();
        return w;
    }

    private synchronized void applyRules() {
        Map<Node, List<String>> perHost = new HashMap<>();
        for (Window w : windows) {
            w.rules.forEach((n, r) -> perHost.computeIfAbsent(n, k -> new ArrayList<>()).addAll(r));
        }
        for (Node n : nodes.values()) {
            network.setInputRules(n.host, perHost.getOrDefault(n, List.of()));
        }
    }

    /** A fault that lasts until {@link #end()}. */
    final class Window {
        private final int fault;
        private final Map<Node, List<String>> rules;
        private final Runnable onEnd;
        private boolean ended;

        private Window(int fault, Map<Node, List<String>> rules, Runnable onEnd) {
            this.fault = fault;
            this.rules = rules;
            this.onEnd = onEnd;
        }

        void end() {
            synchronized (Lab.this) {
                if (ended) {
                    return;
                }
                ended = true;
                if (onEnd != null) {
                    onEnd.run();
                }
                if (windows.remove(this)) {
                    applyRules();
                }
                history.end(fault);
            }
        }
    }

    private static String addressSet(Collection<Node> nodes) {
        return nodes.stream().map(Node::address).collect(Collectors.joining(", ", "{ ", " }"));
    }

    static List<String> names(Collection<Node> nodes) {
        return nodes.stream().map(n -> n.name).toList();
    }

    // ---- what the nodes see ----

    /** The observer's latest view, if it reported within the last second. */
    Map<String, History.View> viewOf(Node observer) {
        History.Observation o = latest.get(observer.name);
        return o == null || history.now() - o.t() > 1000 ? null : o.view();
    }

    /** Whether every observer currently sees every member of {@code members} with {@code status}. */
    boolean allSee(Collection<Node> observers, Collection<Node> members, String status) {
        for (Node o : observers) {
            Map<String, History.View> view = viewOf(o);
            if (view == null) {
                return false;
            }
            for (Node m : members) {
                History.View v = view.get(m.name);
                if (v == null || !v.is(status)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Java lab nodes j1..j{@code javas} and serf agents s1..s{@code serfs}, each on its own host,
     * all joining j1; returns once every node sees every node alive.
     */
    List<Node> cluster(int javas, int serfs) {
        Node j1 = java("j1");
        for (int i = 2; i <= javas; i++) {
            java("j" + i, j1);
        }
        for (int i = 1; i <= serfs; i++) {
            serf("s" + i, j1);
        }
        awaitFormed(Duration.ofSeconds(60));
        return nodes();
    }

    /** Every node that reported during the run. */
    static java.util.Set<String> observers(History.Snapshot run) {
        java.util.Set<String> all = new java.util.HashSet<>();
        run.observations().forEach(o -> all.add(o.observer()));
        return all;
    }

    /** Waits until every node sees every node alive; fails with the views if it takes longer than {@code max}. */
    void awaitFormed(Duration max) {
        List<Node> all = nodes();
        if (!await(() -> allSee(all, all, "alive"), max)) {
            throw new AssertionError("The cluster did not form within " + max + ": " + views());
        }
    }

    /** Polls {@code condition} every 50 ms; true if it held before {@code max}. */
    static boolean await(BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(Duration.ofMillis(50));
        }
        return condition.getAsBoolean();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every observer's latest view, for failure messages. */
    String views() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes.values()) {
            Map<String, History.View> v = viewOf(n);
            b.append("\n  ").append(n.name).append(": ").append(v == null ? "(no recent report)"
                    : v.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().status())
                            .collect(Collectors.joining(" ")));
        }
        return b.toString();
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the end ----

    private synchronized void stopAll() {
        traffic.forEach(Traffic::stop);
        for (Node n : nodes.values()) {
            for (Process p : new Process[] {n.process, n.watcher}) {
                if (p != null && p.isAlive()) {
                    Sh.tryRun(null, "kill", "-CONT", Long.toString(p.pid())); // a paused process can't die
                    p.destroyForcibly();
                }
            }
        }
        network.close();
    }

    /** Stops every process, removes every namespace, writes {@code history.jsonl}. */
    @Override
    public void close() throws IOException {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
        history.writeJsonLines(dir.resolve("history.jsonl"));
    }
}
