package dev.gossip.core.transport;

/** A transport could not start, with a message that says what to change. */
public class TransportException extends RuntimeException {
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
