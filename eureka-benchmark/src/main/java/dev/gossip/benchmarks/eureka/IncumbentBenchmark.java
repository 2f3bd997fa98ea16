package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The incumbent benchmark: the sample app's contract, measured on Eureka and then on gossip in
 * one run, each app a JVM of its own ({@code java -jar}) on 127.0.0.1.
 *
 * <p>Per side, a fresh cluster: (Eureka: a standalone server, every default), greeter-1, then a
 * frontend that calls {@code http://greeter/greeting} through a {@code @LoadBalanced} RestClient.
 * The driver sends {@code GET /hello} to the frontend at {@code --rps} (20/s) for the whole run and
 * records every call: when sent, when answered, status, and which greeter answered. A call fails
 * when it is not a 200 naming a greeter (the frontend answers 502 when its greeter call failed).
 * "Ready" is {@code /actuator/health/readiness} answering UP, polled every 20 ms. Every greeter
 * started after greeter-1 is a new instance on fresh ports. Then, each phase bounded:
 * <ol>
 *   <li>new instance → traffic: launch greeter-2; from its readiness to the first call through the
 *       frontend answered by it ({@code --new-cap});</li>
 *   <li>{@code kill -9} → no longer chosen: SIGKILL one greeter; from the kill to the last failed call
 *       (each one a call sent to the dead greeter), ending {@code --quiet} s after it, or "still chosen"
 *       at {@code --kill-cap}; and the failed calls;</li>
 *   <li>rolling restart under load: SIGTERM each greeter in turn, wait for its exit, launch a
 *       replacement, wait for its readiness; failed calls of those sent from the first SIGTERM
 *       until the frontend is served by both replacements with no failure since.</li>
 * </ol>
 * The phases run in the order 1, 3, 2: a killed instance can stay registered in Eureka
 * for good (self-preservation), and would fail calls in any phase after it.
 *
 * <p>Writes {@code eureka-benchmark/target/incumbent/}: {@code results.md}, {@code timeline.svg},
 * {@code calls-<side>.csv}, and every child's log under {@code logs/}. No child outlives the
 * driver: a shutdown hook SIGKILLs any still running.
 */
public final class IncumbentBenchmark {

    private IncumbentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long start = System.nanoTime();
        ZonedDateTime date = ZonedDateTime.now();
        Files.createDirectories(options.logDir());
        List<SideResult> results = new ArrayList<>();
        try {
            for (String side : options.sides()) {
                Cluster cluster = side.equals("eureka") ? new EurekaCluster(options) : new GossipCluster(options);
                System.out.printf("== %s%n", cluster.name());
                results.add(new SideRun(cluster, options).run());
            }
        } finally {
            Children.killAll();
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        String report = header(options, date, minutes) + "\n" + ResultsTable.markdown(results);
        write(options.outputDir().resolve("results.md"), report);
        write(options.outputDir().resolve("timeline.svg"), TimelineChart.svg(results, options.rps()));
        for (SideResult r : results) {
            write(options.outputDir().resolve("calls-" + r.side.toLowerCase(Locale.ROOT) + ".csv"), CallsCsv.of(r));
        }
        System.out.println();
        System.out.println(report);
        System.out.printf("Wrote %s (results.md, timeline.svg, calls-*.csv, logs/)%n",
                options.root().relativize(options.outputDir()));
        boolean failed = results.stream().anyMatch(r -> r.error != null);
        System.exit(failed ? 1 : 0);
    }

    private static String header(Options o, ZonedDateTime date, double minutes) {
        return String.format(Locale.ROOT, """
                # IncumbentBenchmark: Eureka vs gossip

                %s; %d cores seen by the JVM, JDK %s; run took %.1f min.
                %d requests/s through the frontend; phases run 1, 3, 2; quiet %d s; caps: new instance %d s, \
                restart %d s, settle %d s, kill %d s; child JVM options %s.
                """, date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), minutes, o.rps(), o.quiet().toSeconds(), o.newCap().toSeconds(),
                o.restartCap().toSeconds(), o.settleCap().toSeconds(), o.killCap().toSeconds(), o.childJvmOpts());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
