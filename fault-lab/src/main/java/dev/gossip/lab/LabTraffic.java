package dev.gossip.lab;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady request loop for the fault lab, run inside the frontend's host: GET {@code url} at
 * {@code rate} per second, each with its own timeout, not waiting for the previous one (a hung
 * call must not slow the loop). Prints one line per call when it ends:
 * {@code R <startEpochMillis> <latencyMillis> <status> <answeredBy>}, status -1 for a timeout or
 * a connection error, answeredBy "-" when unknown. Stops when stdin closes.
 *
 * <p>Arguments: {@code --url=U --rate=N --timeout-ms=T}.
 */
public final class LabTraffic {

    private static final Pattern ANSWERED_BY = Pattern.compile("\"answeredBy\"\\s*:\\s*\"([^\"]+)\"");

    private LabTraffic() {
    }

    public static void main(String[] args) throws Exception {
        var a = LabNode.parse(args);
        URI url = URI.create(a.get("url"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "40"));
        Duration timeout = Duration.ofMillis(Long.parseLong(a.getOrDefault("timeout-ms", "2000")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        loop.scheduleAtFixedRate(() -> {
            long start = System.currentTimeMillis();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long latency = System.currentTimeMillis() - start;
                String line;
                if (error != null) {
                    line = "R " + start + " " + latency + " -1 -";
                } else {
                    Matcher m = ANSWERED_BY.matcher(response.body());
                    line = "R " + start + " " + latency + " " + response.statusCode() + " " + (m.find() ? m.group(1) : "-");
                }
                synchronized (out) {
                    out.println(line);
                }
            });
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        while (System.in.read() >= 0) {
            // runs until the harness closes stdin
        }
        loop.shutdownNow();
        System.exit(0);
    }
}
