package dev.gossip.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the lab's system commands (ip, nft, kill, serf) and fails with their output when they fail. */
final class Sh {

    private Sh() {
    }

    record Result(int exitCode, String output) {}

    static String run(String... cmd) {
        return runWithInput(null, cmd);
    }

    /** Runs {@code cmd} with {@code stdin} as its input; throws with the output on a non-zero exit. */
    static String runWithInput(String stdin, String... cmd) {
        Result r = tryRun(stdin, cmd);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exitCode() + "): " + r.output().strip());
        }
        return r.output();
    }

    static Result tryRun(String stdin, String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true)
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                            : ProcessBuilder.Redirect.PIPE)
                    .start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Whether {@code command} is on the PATH. */
    static boolean onPath(String command) {
        return tryRun(null, "sh", "-c", "command -v " + command).exitCode() == 0;
    }
}
