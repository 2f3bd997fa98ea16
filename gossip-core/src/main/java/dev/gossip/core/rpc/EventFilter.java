package dev.gossip.core.rpc;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One entry of a {@code stream} request's Type, e.g. {@code member-join}, {@code user:deploy},
 * {@code query:ping} or {@code *} (serf event_handler.go:ParseEventFilter and EventFilter.Invoke).
 *
 * @param event the Serf event type name, or {@code *}
 * @param name for {@code user} and {@code query}: only events with this name ("" = any)
 */
record EventFilter(String event, String name) {

    private static final Set<String> VALID = Set.of("member-join", "member-leave", "member-failed",
            "member-update", "member-reap", "user", "query", "*");

    /** Parses a comma-separated list; empty means {@code *}. Entries may be invalid: check {@link #valid()}. */
    static List<EventFilter> parse(String spec) {
        String s = spec == null || spec.isEmpty() ? "*" : spec;
        List<EventFilter> out = new ArrayList<>();
        for (String e : s.split(",", -1)) {
            if (e.startsWith("user:")) {
                out.add(new EventFilter("user", e.substring(5)));
            } else if (e.startsWith("query:")) {
                out.add(new EventFilter("query", e.substring(6)));
            } else {
                out.add(new EventFilter(e, ""));
            }
        }
        return out;
    }

    boolean valid() {
        return VALID.contains(event);
    }

    boolean matches(GossipEvent e) {
        if (event.equals("*")) {
            return serfType(e) != null;
        }
        if (!event.equals(serfType(e))) {
            return false;
        }
        if (name.isEmpty()) {
            return true;
        }
        if (e instanceof GossipEvent.UserEvent u) {
            return u.name().equals(name);
        }
        return e instanceof Query q && q.name().equals(name);
    }

    static boolean anyMatches(List<EventFilter> filters, GossipEvent e) {
        for (EventFilter f : filters) {
            if (f.matches(e)) {
                return true;
            }
        }
        return false;
    }

    /** Serf's EventType name; null for our own events that Serf does not have (suspicion). */
    static String serfType(GossipEvent e) {
        if (e instanceof GossipEvent.MemberEvent m) {
            return m.type() == GossipEvent.MemberEventType.SUSPICION ? null : m.type().serfName();
        }
        return e instanceof GossipEvent.UserEvent ? "user" : "query";
    }
}
