package dev.gossip.core.wire;

/** Serf message types: the first byte inside a memberlist user message (§7.1). */
public final class SerfMessageType {
    public static final int LEAVE = 0;
    public static final int JOIN = 1;
    public static final int PUSH_PULL = 2;
    public static final int USER_EVENT = 3;
    public static final int QUERY = 4;
    public static final int QUERY_RESPONSE = 5;
    public static final int CONFLICT_RESPONSE = 6;
    public static final int KEY_REQUEST = 7;
    public static final int KEY_RESPONSE = 8;
    public static final int RELAY = 9;

    private SerfMessageType() {}
}
