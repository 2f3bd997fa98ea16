package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One app as its own JVM ({@code java -jar}), output in its log file. Ready means its
 * {@code /actuator/health/readiness} answers UP, polled every 20 ms from the driver: Spring
 * flips readiness at ApplicationReadyEvent, and it is what a deploy tool waits for before it
 * moves on (so the figure includes up to 20 ms of polling).
 */
final class Child {

    private static final long POLL_MILLIS = 20;

    private final String name;
    private final int httpPort;
    private final int gossipPort;
    private final Process process;
    private final Path log;
    private final long launchedNanos;
    private volatile long readyNanos = -1;
    private volatile String identity;

    private Child(String name, int httpPort, int gossipPort, Process process, Path log, long launchedNanos) {
        this.name = name;
        this.httpPort = httpPort;
        this.gossipPort = gossipPort;
        this.process = process;
        this.log = log;
        this.launchedNanos = launchedNanos;
    }

    /** Launches {@code java <jvmOpts> -jar <jar> <args>} with this JVM's own java. */
    static Child launch(String name, Path jar, List<String> jvmOpts, List<String> args, Path log,
            int httpPort, int gossipPort) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOpts);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long launched = System.nanoTime();
        Process process = builder.start();
        Child child = new Child(name, httpPort, gossipPort, process, log, launched);
        Children.register(child);
        return child;
    }

    /** Waits until readiness answers UP; false if the cap passed or the process died first. */
    boolean awaitReady(Duration cap) throws InterruptedException {
        long deadline = System.nanoTime() + cap.toNanos();
        String url = "http://127.0.0.1:" + httpPort + "/actuator/health/readiness";
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Http.getJson(url).flatMap(body -> Http.field(body, "status")).filter("UP"::equals).isPresent()) {
                readyNanos = System.nanoTime();
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return false;
    }

    /** Its instance id as its greetings carry it, asked once directly (not through the frontend). */
    String identity() {
        if (identity == null) {
            identity = Http.getJson("http://127.0.0.1:" + httpPort + "/greeting")
                    .flatMap(body -> Http.field(body, "instanceId"))
                    .orElse(null);
        }
        return identity;
    }

    /** Graceful stop as a deploy tool does it: SIGTERM, wait for the exit; SIGKILL past the cap. */
    boolean stopGracefully(Duration cap) throws InterruptedException {
        process.destroy();
        if (process.waitFor(cap.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    /** {@code kill -9}: {@link Process#destroyForcibly()} is SIGKILL on Linux. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Last resort, from the shutdown hook or after a failed run. */
    void destroyForcibly() {
        process.destroyForcibly();
    }

    /** SIGTERM without waiting; used when a whole side is torn down at once. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(Duration cap) throws InterruptedException {
        return process.waitFor(cap.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    int httpPort() {
        return httpPort;
    }

    int gossipPort() {
        return gossipPort;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    long launchedNanos() {
        return launchedNanos;
    }

    long readyNanos() {
        return readyNanos;
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", http " + httpPort + (gossipPort > 0 ? ", gossip " + gossipPort : "")
                + ")";
    }
}
