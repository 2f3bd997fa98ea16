package dev.gossip.spring.dns;

/**
 * A datagram that gets no answer at all: shorter than a header, or itself a response (answering
 * responses could make two servers bounce packets forever). The only exception the decoder throws.
 */
public final class DnsDropException extends Exception {

    private final String reason;

    DnsDropException(String reason) {
        super(reason, null, false, false); // thrown per hostile packet: no stack trace
        this.reason = reason;
    }

    /** The {@code reason} tag of gossip.dns.dropped. */
    public String reason() {
        return reason;
    }
}
