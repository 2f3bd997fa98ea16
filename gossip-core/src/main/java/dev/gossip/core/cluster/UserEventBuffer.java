package dev.gossip.core.cluster;

import dev.gossip.core.wire.SerfPushPull;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@code size} Lamport times of user events (§7.7): a ring indexed by
 * {@code ltime % size} that de-duplicates re-gossiped events and is shared in push/pull so
 * late joiners can catch up.
 */
final class UserEventBuffer {

    private final SerfPushPull.EventBucket[] ring;

    UserEventBuffer(int size) {
        ring = new SerfPushPull.EventBucket[size];
    }

    int size() {
        return ring.length;
    }

    /** Records the event; false if this exact event was already seen at that Lamport time. */
    boolean add(long ltime, String name, byte[] payload) {
        int idx = (int) Long.remainderUnsigned(ltime, ring.length);
        SerfPushPull.EventBucket bucket = ring[idx];
        if (bucket != null && bucket.ltime() == ltime) {
            for (SerfPushPull.Event e : bucket.events()) {
                if (e.name().equals(name) && Arrays.equals(e.payload(), payload)) {
                    return false;
                }
            }
        } else {
            bucket = new SerfPushPull.EventBucket(ltime, new ArrayList<>());
            ring[idx] = bucket;
        }
        bucket.events().add(new SerfPushPull.Event(name, payload));
        return true;
    }

    /** Events held over all buckets; a diagnostic. */
    int events() {
        int n = 0;
        for (SerfPushPull.EventBucket b : ring) {
            if (b != null) {
                n += b.events().size();
            }
        }
        return n;
    }

    /** Non-empty buckets, for push/pull. */
    List<SerfPushPull.EventBucket> buckets() {
        List<SerfPushPull.EventBucket> out = new ArrayList<>();
        for (SerfPushPull.EventBucket b : ring) {
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }
}
