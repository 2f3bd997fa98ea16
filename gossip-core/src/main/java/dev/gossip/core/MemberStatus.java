package dev.gossip.core;

/** Serf's member status (§7.11); the ordinal is the wire value. */
public enum MemberStatus {
    NONE(0), ALIVE(1), LEAVING(2), LEFT(3), FAILED(4);

    private final int wire;

    MemberStatus(int wire) {
        this.wire = wire;
    }

    /** Serf's MemberStatus value (serf.go: StatusNone = 0 ... StatusFailed = 4), as queries carry it. */
    public int wire() {
        return wire;
    }

    /** The lower-case name {@code serf members} prints. */
    public String serfName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
