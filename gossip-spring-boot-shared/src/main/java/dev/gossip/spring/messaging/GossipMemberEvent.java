package dev.gossip.spring.messaging;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.Member;
import java.util.List;
import org.springframework.context.ApplicationEvent;

/**
 * Members joined, left, failed, changed their tags, were reaped, or became (un)suspected: the
 * events a {@code serf agent} hands to its event handlers, plus {@link MemberEventType#SUSPICION}.
 * For "which instances of a service are there now", ask the {@code DiscoveryClient}; this event
 * says what changed.
 */
public class GossipMemberEvent extends ApplicationEvent {

    private final MemberEventType type;
    private final List<Member> members;

    public GossipMemberEvent(Object source, MemberEventType type, List<Member> members) {
        super(source);
        this.type = type;
        this.members = List.copyOf(members);
    }

    static GossipMemberEvent of(Object source, GossipEvent.MemberEvent e) {
        return new GossipMemberEvent(source, e.type(), e.members());
    }

    /** What happened; {@code getType().serfName()} is Serf's name for it, e.g. {@code member-join}. */
    public MemberEventType getType() {
        return type;
    }

    /** The members it happened to, as they are after the change (their tags, status, address). */
    public List<Member> getMembers() {
        return members;
    }

    /** The members' node names. */
    public List<String> getMemberNames() {
        return members.stream().map(Member::name).toList();
    }

    @Override
    public String toString() {
        return "GossipMemberEvent[" + type.serfName() + " " + getMemberNames() + "]";
    }
}
