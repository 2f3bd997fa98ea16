package dev.gossip.core.wire;

import dev.gossip.core.DropReason;

/**
 * Bytes from the network that cannot be decoded. Thrown by decoders and caught at the receive
 * path, where it becomes a counted drop. No stack trace: it is expected traffic, not a bug.
 */
public final class MalformedMessageException extends Exception {

    /** Why the input was rejected: the drop it is counted as. */
    private final DropReason reason;

    public MalformedMessageException(DropReason reason, String detail) {
        super(reason.tag() + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
