package dev.gossip.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The outcomes of a {@link LabTraffic} loop, as they arrive. */
final class Traffic {

    /** One call: when it started (ms since the lab's origin), how long it took, its status (-1 = none) and who answered. */
    record Call(long t, long latency, int status, String answeredBy) {
        boolean ok() {
            return status == 200;
        }
    }

    private final Process process;
    private final List<Call> calls = new ArrayList<>();

    Traffic(History history, Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] f = line.split(" ");
                    if (f.length == 5 && f[0].equals("R")) {
                        Call c = new Call(Long.parseLong(f[1]) - history.origin(), Long.parseLong(f[2]), Integer.parseInt(f[3]), f[4]);
                        synchronized (calls) {
                            calls.add(c);
                        }
                    }
                }
            } catch (IOException e) {
                // the loop was stopped
            }
        }, "lab-traffic");
        reader.setDaemon(true);
        reader.start();
    }

    /** Calls that started in [from, to), sorted by start. */
    List<Call> between(long from, long to) {
        List<Call> out = new ArrayList<>();
        synchronized (calls) {
            for (Call c : calls) {
                if (c.t() >= from && c.t() < to) {
                    out.add(c);
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(Call::t));
        return out;
    }

    List<Call> all() {
        return between(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** One JSON object a line: start (ms since the lab's origin), latency, status, who answered. */
    void writeJsonLines(java.nio.file.Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Call c : all()) {
            b.append("{\"t\":").append(c.t()).append(",\"latency\":").append(c.latency()).append(",\"status\":")
                    .append(c.status()).append(",\"answeredBy\":\"").append(c.answeredBy()).append("\"}\n");
        }
        java.nio.file.Files.writeString(file, b);
    }

    void stop() {
        process.destroyForcibly();
    }
}
