package dev.gossip.core.cluster;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.net.InetAddress;
import java.util.Map;

/** Serf's record of one member (§7.11). Mutated only on the node's thread. */
final class MemberState {
    final String name;
    InetAddress addr;
    int port;
    Map<String, String> tags;
    byte[] vsn;
    long incarnation;
    MemberStatus status;
    /** Lamport time of the last join or leave intent applied to this member. */
    long statusLTime;
    /**
     * Left, but its status time is that of a newer join intent: its new process has announced
     * itself and memberlist has not reported it alive yet. Push/pull then does not list it as
     * left, because serf's merge reads "left at t" as a leave at t + 1, newer than that join.
     */
    boolean rejoining;
    /** When it failed or left (scheduler nanos), for reaping. */
    long leaveTimeNanos;
    boolean suspect;
    /** What other threads see of this member: the last published state. */
    volatile Member snapshot;

    MemberState(String name) {
        this.name = name;
    }

    Member toMember() {
        byte[] v = vsn != null && vsn.length >= 6 ? vsn : new byte[6];
        return new Member(name, addr, port, tags, status, suspect, v[0] & 0xff, v[1] & 0xff,
                v[2] & 0xff, v[3] & 0xff, v[4] & 0xff, v[5] & 0xff, incarnation);
    }
}
