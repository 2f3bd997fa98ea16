package dev.gossip.lab;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine can run the lab: root (for namespaces), iproute2's {@code ip}, nftables'
 * {@code nft}, and for serf hosts the {@code serf} binary. Where something is missing the lab
 * skips with a message saying what to install; with {@code CI=true} it fails instead, because CI
 * must run it ({@code .ci/run} installs the packages).
 */
final class LabEnvironment {

    private static volatile String missing;

    private LabEnvironment() {
    }

    /** Skips (or, on CI, fails) the calling test unless namespaces, nft and, if asked, serf work here. */
    static void require(boolean serf) {
        String why = missing();
        if (why == null && serf && !Sh.onPath("serf")) {
            why = "the serf binary is not on the PATH (apt-get install -y serf)";
        }
        if (why == null) {
            return;
        }
        String message = "Fault lab skipped: " + why;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: the lab must run; .ci/run installs what it needs)");
        }
        System.err.println(message);
        Assumptions.abort(message);
    }

    private static synchronized String missing() {
        if (missing == null) {
            missing = probe();
        }
        return missing.isEmpty() ? null : missing;
    }

    private static String probe() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root (user is " + System.getProperty("user.name") + ")";
        }
        if (!Sh.onPath("ip")) {
            return "iproute2's ip is not on the PATH (apt-get install -y iproute2)";
        }
        if (!Sh.onPath("nft")) {
            return "nftables' nft is not on the PATH (apt-get install -y nftables)";
        }
        String probe = LabNetwork.PREFIX + "probe";
        LabNetwork.removeStale(probe);
        Sh.Result add = Sh.tryRun(null, "ip", "netns", "add", probe);
        if (add.exitCode() != 0) {
            return "cannot create a network namespace: " + add.output().strip();
        }
        Sh.Result nft = Sh.tryRun("table inet lab {\n  chain input {\n    type filter hook input priority 0;\n  }\n}\n",
                "ip", "netns", "exec", probe, "nft", "-f", "-");
        Sh.tryRun(null, "ip", "netns", "del", probe);
        if (nft.exitCode() != 0) {
            return "nftables does not work inside a namespace: " + nft.output().strip();
        }
        return "";
    }
}
