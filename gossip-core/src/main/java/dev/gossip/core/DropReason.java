package dev.gossip.core;

/**
 * Why input from the network was thrown away, or (the transport's {@link #SEND_FAILURE} and
 * {@link #STREAM_TIMEOUT}) why an exchange of ours failed. Every drop is counted under one of these
 * ({@link GossipStats#drops()}); metrics iterate them, so a new reason is never lumped into
 * "other". Hostile or broken input is a counted drop, never an exception out of the node.
 */
public enum DropReason {
    /** An ack whose coordinate payload is empty where one was expected. */
    ACK_PAYLOAD_EMPTY("ack-payload-empty"),
    /** An address that is not IPv4 or IPv6, or not one the member can have. */
    BAD_ADDRESS("bad-address"),
    /** Serf tags that do not decode. */
    BAD_TAGS("bad-tags"),
    /** A member whose protocol versions cannot work with ours. */
    BAD_VERSION("bad-version"),
    /** A malformed compound message. */
    COMPOUND("compound"),
    /** A malformed compress message. */
    COMPRESS("compress"),
    /** A name-conflict vote from a node that was not an alive member when asked. */
    CONFLICT_VOTE_NOT_A_VOTER("conflict-vote-not-a-voter"),
    /**
     * A name-conflict vote that did not come from the voter's own address: anyone can write a
     * member's name in a response, so a vote counts only when the member sent it itself.
     */
    CONFLICT_VOTE_WRONG_SOURCE("conflict-vote-wrong-source"),
    /** A second name-conflict vote from one host: each host votes once. */
    CONFLICT_VOTE_SAME_HOST("conflict-vote-same-host"),
    /** A Vivaldi coordinate that does not decode. */
    COORDINATE_FORMAT("coordinate-format"),
    /** A Vivaldi coordinate with too many dimensions or non-finite values. */
    COORDINATE_TOO_LARGE("coordinate-too-large"),
    /** A CRC that does not match. */
    CRC("crc"),
    /** Input that does not decrypt with any key. */
    DECRYPT("decrypt"),
    /** A packet arriving while the protocol thread has its hand-off queue full. */
    HANDOFF_QUEUE_FULL("handoff-queue-full"),
    /**
     * A push/pull state listing nodes whose protocol or delegate versions rule out a range every
     * node understands (memberlist state.go:verifyProtocol): nothing of it is merged.
     */
    INCOMPATIBLE_VERSION("incompatible-version"),
    /** A failure of our own while handling input or running a periodic round. */
    INTERNAL("internal"),
    /** A malformed key-management query. */
    KEY_REQUEST("key-request"),
    /** LZW data that does not decompress, or decompresses beyond the limit. */
    LZW("lzw"),
    /** An alive or push/pull entry naming a new member once maxMembers are known. */
    MEMBER_LIMIT("member-limit"),
    /** msgpack that does not decode. */
    MSGPACK("msgpack"),
    /** Messages nested too deep. */
    NESTING("nesting"),
    /** Plaintext where the keyring requires encryption. */
    NOT_ENCRYPTED("not-encrypted"),
    /** A ping of a protocol version we do not speak. */
    PING_VERSION("ping-version"),
    /** A ping or stream addressed to another node. */
    PING_WRONG_NODE("ping-wrong-node"),
    /** A malformed push/pull exchange. */
    PUSHPULL("pushpull"),
    /** A query filter that does not decode. */
    QUERY_FILTER("query-filter"),
    /** Query answers beyond the member count when the query was sent. */
    QUERY_RESPONSE_EXCESS("query-response-excess"),
    /** A query answer from a node that is not a member. */
    QUERY_RESPONSE_UNKNOWN_NODE("query-response-unknown-node"),
    /** A malformed relay message. */
    RELAY("relay"),
    /** An error message from the remote side of a stream. */
    REMOTE_ERROR("remote-error"),
    /** A packet the OS would not send, or a stream request that failed to connect, write or read. */
    SEND_FAILURE("send-failure"),
    /** A malformed Serf push/pull state. */
    SERF_PUSHPULL("serf-pushpull"),
    /** A Serf message of an unknown type. */
    SERF_UNKNOWN_TYPE("serf-unknown-type"),
    /** An empty or malformed stream, also one the transport's framer refused. */
    STREAM("stream"),
    /** A stream, inbound or a reply to ours, longer than the stream size limit. */
    STREAM_OVERSIZE("stream-oversize"),
    /**
     * An inbound stream that did not bring its message, or take its answer, within TCPTimeout;
     * or a stream request of ours that got no reply in time.
     */
    STREAM_TIMEOUT("stream-timeout"),
    /**
     * An inbound connection closed on arrival: every stream slot it may use was taken (a
     * non-member may not use the slots reserved for members).
     */
    TOO_MANY_STREAMS("too-many-streams"),
    /** An inbound connection closed on arrival: its IP, not a member's, holds its share of slots. */
    TOO_MANY_STREAMS_FROM_SOURCE("too-many-streams-from-source"),
    /** Encrypted input while encryption is off. */
    UNEXPECTED_ENCRYPTION("unexpected-encryption"),
    /** A message of an unknown type. */
    UNKNOWN_TYPE("unknown-type"),
    /** A malformed user stream message. */
    USER_STREAM("user-stream");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /** The short name used in logs and as the metric tag, e.g. {@code crc}. */
    public String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return tag;
    }
}
