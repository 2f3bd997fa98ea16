package dev.gossip.core;

import java.nio.file.Path;

/**
 * The snapshot file ({@link GossipConfig#snapshotPath()}) cannot be read, created or appended to,
 * so the node does not start: a node told to keep a snapshot that silently kept none would not
 * rejoin after its next restart.
 */
public final class SnapshotPathException extends IllegalArgumentException {

    private final transient Path path;

    public SnapshotPathException(Path path, Throwable cause) {
        super("Cannot use snapshot file '" + path + "' (" + cause + "): set snapshotPath"
                + " (spring.cloud.gossip.snapshot-path) to a file this process may read and write, in a directory"
                + " it may create, or leave it unset to run without a snapshot", cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
