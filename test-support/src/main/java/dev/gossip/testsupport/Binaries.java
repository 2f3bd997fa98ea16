package dev.gossip.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;

/** External programs a test runs (serf, dig): skipped visibly when missing, a failure under CI=true. */
public final class Binaries {

    private Binaries() {}

    /**
     * The absolute path of {@code name} on PATH. Without it the test is skipped with a message on
     * stdout and stderr, or fails when the environment has CI=true (CI installs it: .ci/run).
     *
     * @param install how to get it, e.g. {@code apt-get install -y serf}
     */
    public static String required(String name, String install) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String msg = name + " not found on PATH: this test needs it (" + install + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(msg + "; CI=true, so this is a failure");
        }
        System.err.println("SKIPPED: " + msg);
        System.out.println("SKIPPED: " + msg);
        assumeTrue(false, msg);
        return null;
    }
}
