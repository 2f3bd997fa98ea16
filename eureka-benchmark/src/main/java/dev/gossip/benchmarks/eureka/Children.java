package dev.gossip.benchmarks.eureka;

import java.util.ArrayList;
import java.util.List;

/**
 * Every JVM the driver started, so that none outlives it: a shutdown hook SIGKILLs the ones
 * still alive however the driver ends (normal exit, exception, Ctrl-C). Only our own children.
 */
final class Children {

    private static final List<Child> ALL = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Children::killAll, "kill-children"));
    }

    private Children() {
    }

    static synchronized void register(Child child) {
        ALL.add(child);
    }

    static synchronized void killAll() {
        for (Child child : ALL) {
            if (child.alive()) {
                System.err.println("killing " + child);
                child.destroyForcibly();
            }
        }
    }
}
