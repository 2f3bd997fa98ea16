package dev.gossip.core;

import java.util.List;

/** What a node reports to its listeners: membership changes, user events and queries. */
public sealed interface GossipEvent permits GossipEvent.MemberEvent, GossipEvent.UserEvent, Query {

    /** The kind of membership change, as Serf names it. */
    enum MemberEventType {
        JOIN("member-join"), LEAVE("member-leave"), FAILED("member-failed"),
        UPDATE("member-update"), REAP("member-reap"),
        /** Not a Serf event: the failure detector began or stopped suspecting the member. */
        SUSPICION("member-suspicion");

        private final String serfName;

        MemberEventType(String serfName) {
            this.serfName = serfName;
        }

        public String serfName() {
            return serfName;
        }
    }

    /** Members joined, left, failed, changed tags or were reaped. */
    record MemberEvent(MemberEventType type, List<Member> members) implements GossipEvent {
        public MemberEvent {
            members = List.copyOf(members);
        }
    }

    /** A user event: a name and a small payload, delivered at most once per node. */
    record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) implements GossipEvent {
    }
}
