package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One side of the comparison: how its greeters and its frontend are started, and what it can say
 * about a killed greeter afterwards. Every greeter gets fresh ports (a replacement is a new
 * instance, as on a container platform); the apps and their roles are the same on both sides.
 */
abstract class Cluster {

    protected final Options options;
    protected final List<Child> started = new ArrayList<>();

    protected Cluster(Options options) {
        this.options = options;
    }

    /** "Eureka" or "gossip". */
    abstract String name();

    /** Whatever must run before any app (the Eureka server); nothing for gossip. */
    abstract void startInfrastructure() throws IOException, InterruptedException;

    Child launchGreeter(String name) throws IOException {
        return app(name, "greeter");
    }

    Child launchFrontend(String name) throws IOException {
        return app(name, "frontend");
    }

    /** Starts one app of the sample's shape in {@code role}: greeter or frontend. */
    abstract Child app(String name, String role) throws IOException;

    /** After the kill phase: what discovery still says of the killed greeter, for the notes. */
    abstract String afterKill(Child killed, Child frontend);

    /**
     * How many calls the frontend's load balancer has sent again, to another instance, because
     * their connection failed: such a call was sent to a dead greeter, yet never failed. Empty
     * where nothing retries: with Eureka's defaults Spring Cloud LoadBalancer retries only when
     * Spring Retry is on the classpath, and it is not.
     */
    OptionalLong resentCalls(Child frontend) {
        return OptionalLong.empty();
    }

    protected Child launch(String name, Path jar, List<String> args, int httpPort, int gossipPort) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (see benchmarks/README.md)");
        }
        Path log = options.logDir().resolve(name().toLowerCase() + "-" + name + ".log");
        Child child = Child.launch(name, jar, options.childJvmOpts(), args, log, httpPort, gossipPort);
        started.add(child);
        System.out.printf("  [%s] launched %s, log %s%n", name(), child, options.root().relativize(log));
        return child;
    }

    /** What the apps need running until they have stopped (the Eureka server): stopped last. */
    List<Child> infrastructure() {
        return List.of();
    }

    /** SIGTERM to the apps still running, then to the infrastructure; SIGKILL whatever outlives 30 s. */
    void stopAll() throws InterruptedException {
        List<Child> apps = new ArrayList<>(started);
        apps.removeAll(infrastructure());
        stop(apps);
        stop(infrastructure());
    }

    private static void stop(List<Child> children) throws InterruptedException {
        for (Child child : children) {
            if (child.alive()) {
                child.terminate();
            }
        }
        for (Child child : children) {
            if (!child.awaitExit(Duration.ofSeconds(30))) {
                child.destroyForcibly();
            }
        }
    }
}
