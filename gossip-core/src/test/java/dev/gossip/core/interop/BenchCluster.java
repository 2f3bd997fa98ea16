package dev.gossip.core.interop;

import java.util.List;

/**
 * One cluster under test, serf agents or Java nodes, driven the same way by
 * {@link SerfSideBySideBenchmark}. Actions return {@link System#nanoTime()} taken just before the
 * action was issued: the start of a measurement.
 */
interface BenchCluster extends AutoCloseable {

    /** "serf" or "Java". */
    String label();

    /** The sources that report this cluster's events; the last is the slowest, used to settle. */
    List<Arrivals.Source> sources();

    /** Starts a member that knows nobody yet; its reports go to the cluster's {@link Arrivals}. */
    void start(String name) throws Exception;

    /** Issues a join of {@code name} through {@code seed} (a running member). */
    long join(String name, String seed) throws Exception;

    /** kill -9: the member stops answering without a word. */
    long crash(String name) throws Exception;

    /** Issues a graceful leave; {@link #awaitStopped} waits for it to end and the member to stop. */
    long leave(String name) throws Exception;

    void awaitStopped(String name) throws Exception;

    /** How many members {@code name} sees alive. */
    int aliveSeenBy(String name) throws Exception;

    /** CPU time the cluster's running members used so far (for serf: the agents; for Java: this JVM). */
    long cpuNanos() throws Exception;

    @Override
    void close();
}
