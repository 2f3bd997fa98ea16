package dev.gossip.benchmarks.eureka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options, {@code --name=value}; every phase is bounded by one of the caps.
 *
 * @param root the repository's root: where {@code sample-app/target/sample-app.jar} and the
 *     Eureka jars are, and under which the results go
 * @param sides which sides to run, in order ({@code eureka,gossip})
 * @param rps requests per second the driver sends through the frontend
 * @param quiet how long without a failed call counts as "no longer failing"
 * @param setupCap how long a fresh cluster may take until the frontend is served by greeter-1
 * @param newCap phase 1: how long after its readiness a new greeter may wait for traffic
 * @param restartCap phase 3: how long a stopped greeter may take to exit, and its replacement to be ready
 * @param settleCap phase 3: how long after the last replacement is ready the frontend may keep failing
 * @param killCap phase 2: how long after {@code kill -9} the killed greeter may still be chosen
 * @param childJvmOpts JVM options of every child, the same on both sides
 */
record Options(Path root, List<String> sides, int rps, Duration quiet, Duration setupCap, Duration newCap,
        Duration restartCap, Duration settleCap, Duration killCap, List<String> childJvmOpts) {

    static final String USAGE = """
            java -jar eureka-benchmark/target/eureka-benchmark.jar [options]   (from the repository root)
              --root=.              repository root
              --sides=eureka,gossip which sides, in this order
              --rps=20              requests per second through the frontend
              --quiet=15            seconds without a failed call that end a phase
              --setup-cap=300       seconds until a fresh cluster serves traffic
              --new-cap=180         phase 1: seconds after readiness a new greeter may wait for traffic
              --restart-cap=180     phase 3: seconds for a greeter to exit, and for its replacement to be ready
              --settle-cap=240      phase 3: seconds after the last replacement is ready calls may keep failing
              --kill-cap=300        phase 2: seconds after kill -9 the killed greeter may still be chosen
              --child-jvm-opts=-Xmx256m  JVM options of every child, comma-separated
            """;

    static Options parse(String[] args) {
        Path root = Path.of(".");
        List<String> sides = List.of("eureka", "gossip");
        int rps = 20;
        long quiet = 15;
        long setup = 300;
        long fresh = 180;
        long restart = 180;
        long settle = 240;
        long kill = 300;
        List<String> jvm = List.of("-Xmx256m");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg + "\n" + USAGE);
            }
            String value = arg.substring(eq + 1);
            switch (arg.substring(2, eq)) {
                case "root" -> root = Path.of(value);
                case "sides" -> sides = csv(value);
                case "rps" -> rps = Integer.parseInt(value);
                case "quiet" -> quiet = Long.parseLong(value);
                case "setup-cap" -> setup = Long.parseLong(value);
                case "new-cap" -> fresh = Long.parseLong(value);
                case "restart-cap" -> restart = Long.parseLong(value);
                case "settle-cap" -> settle = Long.parseLong(value);
                case "kill-cap" -> kill = Long.parseLong(value);
                case "child-jvm-opts" -> jvm = csv(value);
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        for (String side : sides) {
            if (!side.equals("eureka") && !side.equals("gossip")) {
                throw new IllegalArgumentException("unknown side " + side + "\n" + USAGE);
            }
        }
        return new Options(root.toAbsolutePath().normalize(), sides, rps, Duration.ofSeconds(quiet),
                Duration.ofSeconds(setup), Duration.ofSeconds(fresh), Duration.ofSeconds(restart),
                Duration.ofSeconds(settle), Duration.ofSeconds(kill), jvm);
    }

    Path outputDir() {
        return root.resolve("eureka-benchmark/target/incumbent");
    }

    Path logDir() {
        return outputDir().resolve("logs");
    }

    private static List<String> csv(String value) {
        List<String> out = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return List.copyOf(out);
    }
}
