package dev.gossip.core.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serf's anti-entropy state, carried as memberlist's push/pull user state (§7.4): the three
 * Lamport clocks, each member's status time, who has left, and recent user events.
 */
public record SerfPushPull(long ltime, Map<String, Long> statusLTimes, List<String> leftMembers,
                           long eventLTime, List<EventBucket> events, long queryLTime) {

    /** The user events seen at one Lamport time. */
    public record EventBucket(long ltime, List<Event> events) {}

    /** One user event in a bucket. */
    public record Event(String name, byte[] payload) {}

    public byte[] encode() {
        MsgWriter w = MsgWriter.message(SerfMessageType.PUSH_PULL).map(6)
                .str("EventLTime").uint(eventLTime).str("Events").array(events.size());
        for (EventBucket b : events) {
            w.map(2).str("Events").array(b.events().size());
            for (Event e : b.events()) {
                w.map(2).str("Name").str(e.name()).str("Payload").raw(e.payload());
            }
            w.str("LTime").uint(b.ltime());
        }
        w.str("LTime").uint(ltime).str("LeftMembers").stringList(leftMembers)
                .str("QueryLTime").uint(queryLTime).str("StatusLTimes").map(statusLTimes.size());
        statusLTimes.forEach((k, v) -> w.str(k).uint(v));
        return w.toByteArray();
    }

    public static SerfPushPull decode(MsgReader r) throws MalformedMessageException {
        long ltime = 0;
        long eventLTime = 0;
        long queryLTime = 0;
        Map<String, Long> status = new LinkedHashMap<>();
        List<String> left = List.of();
        List<EventBucket> events = new ArrayList<>();
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "EventLTime" -> eventLTime = r.uint(Long.MAX_VALUE);
                case "QueryLTime" -> queryLTime = r.uint(Long.MAX_VALUE);
                case "LeftMembers" -> left = r.stringList();
                case "StatusLTimes" -> {
                    if (!r.tryNil()) {
                        int m = r.map();
                        for (int j = 0; j < m; j++) {
                            status.put(r.str(), r.uint(Long.MAX_VALUE));
                        }
                    }
                }
                case "Events" -> {
                    int m = r.arrayOrNil();
                    for (int j = 0; j < m; j++) {
                        EventBucket b = bucket(r);
                        if (b != null) {
                            events.add(b);
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new SerfPushPull(ltime, status, left, eventLTime, events, queryLTime);
    }

    private static EventBucket bucket(MsgReader r) throws MalformedMessageException {
        if (r.tryNil()) {
            return null;
        }
        long ltime = 0;
        List<Event> events = new ArrayList<>();
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "Events" -> {
                    int m = r.arrayOrNil();
                    for (int j = 0; j < m; j++) {
                        String name = "";
                        byte[] payload = null;
                        int k = r.map();
                        for (int x = 0; x < k; x++) {
                            switch (r.str()) {
                                case "Name" -> name = r.str();
                                case "Payload" -> payload = r.bytes();
                                default -> r.skip();
                            }
                        }
                        events.add(new Event(name, payload));
                    }
                }
                default -> r.skip();
            }
        }
        return new EventBucket(ltime, events);
    }
}
