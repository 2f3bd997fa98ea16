package dev.gossip.core.wire;

/**
 * Bytes from the network that cannot be decoded. Thrown by decoders and caught at the receive
 * path, where it becomes a counted drop. No stack trace: it is expected traffic, not a bug.
 */
public final class MalformedMessageException extends Exception {

    /** Why the input was rejected, in a few words (used as a metrics tag). */
    private final String reason;

    public MalformedMessageException(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public MalformedMessageException(String reason) {
        this(reason, reason);
    }

    public String reason() {
        return reason;
    }
}
