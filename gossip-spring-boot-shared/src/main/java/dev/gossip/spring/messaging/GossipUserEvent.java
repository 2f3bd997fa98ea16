package dev.gossip.spring.messaging;

import dev.gossip.core.GossipEvent;
import java.nio.charset.StandardCharsets;
import org.springframework.context.ApplicationEvent;

/**
 * A gossip user event (what {@code serf event deploy v42} sends), received by this node. Each
 * node delivers a given event at most once; {@code ltime} orders events cluster-wide.
 */
public class GossipUserEvent extends ApplicationEvent {

    private final String name;
    private final byte[] payload;
    private final long ltime;
    private final boolean coalesce;

    public GossipUserEvent(Object source, String name, byte[] payload, long ltime, boolean coalesce) {
        super(source);
        this.name = name;
        this.payload = payload == null ? new byte[0] : payload.clone();
        this.ltime = ltime;
        this.coalesce = coalesce;
    }

    static GossipUserEvent of(Object source, GossipEvent.UserEvent e) {
        return new GossipUserEvent(source, e.name(), e.payload(), e.ltime(), e.coalesce());
    }

    /** The event's name, e.g. {@code deploy}; match it with {@code @EventListener(condition = "#event.name == 'deploy'")}. */
    public String getName() {
        return name;
    }

    /** The raw payload (a copy); empty when none was sent. */
    public byte[] getPayload() {
        return payload.clone();
    }

    /** The payload decoded as UTF-8, as the serf CLI sends it. */
    public String getPayloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The event's Lamport time: a later event of the cluster has a higher one. */
    public long getLtime() {
        return ltime;
    }

    /** Whether the sender allowed Serf agents to coalesce it with later events of the same name. */
    public boolean isCoalesce() {
        return coalesce;
    }

    @Override
    public String toString() {
        return "GossipUserEvent[" + name + ", " + payload.length + " bytes, ltime " + ltime + "]";
    }
}
