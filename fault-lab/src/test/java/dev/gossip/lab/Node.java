package dev.gossip.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One cluster member of a lab run, under one name across restarts: a Java lab node, a serf
 * agent (with the watcher that reports its view) or a sample-app instance. {@code life} counts its processes from 0.
 */
final class Node {

    enum Kind { JAVA, SERF, SPRING }

    final String name;
    final Kind kind;
    volatile LabNetwork.Host host;
    volatile Process process;
    /** A serf host's {@link SerfWatch}; null for Java nodes, which report themselves. */
    volatile Process watcher;
    volatile int life = -1;
    /** What it joined first: a restart joins them again. */
    volatile Node[] seeds = new Node[0];
    /** A Spring node's command-line arguments. */
    volatile java.util.List<String> args = java.util.List.of();

    Node(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    String address() {
        return host.address();
    }

    String gossipAddress() {
        return host.address() + ":" + Lab.GOSSIP_PORT;
    }

    long pid() {
        return process.pid();
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** A command on the lab node's stdin (Java nodes only). */
    void tell(String command) {
        OutputStream in = process.getOutputStream();
        try {
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " did not take '" + command + "': " + e, e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + (host == null ? "-" : host.address());
    }
}
