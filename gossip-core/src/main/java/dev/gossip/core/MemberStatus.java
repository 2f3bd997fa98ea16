package dev.gossip.core;

/** Serf's member status (§7.11); the ordinal is the wire value. */
public enum MemberStatus {
    NONE, ALIVE, LEAVING, LEFT, FAILED;

    /** The lower-case name {@code serf members} prints. */
    public String serfName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
