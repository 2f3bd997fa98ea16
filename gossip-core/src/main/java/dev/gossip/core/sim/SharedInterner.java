package dev.gossip.core.sim;

import dev.gossip.core.Interner;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Interner} for all the nodes of a simulation: every node that knows a member then
 * holds the same name, address, meta, version and tags objects for it. It keeps each distinct
 * value for as long as it lives, which a finite simulation can afford.
 */
public final class SharedInterner implements Interner {

    private final Map<Object, Object> values = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <T> T intern(T value) {
        if (value == null) {
            return null;
        }
        // A ByteBuffer's equals and hashCode are those of its content; its array is the value.
        if (value instanceof byte[] bytes) {
            return (T) ((ByteBuffer) values.computeIfAbsent(ByteBuffer.wrap(bytes), k -> k)).array();
        }
        return (T) values.computeIfAbsent(value, k -> k);
    }

    /** Distinct values held. */
    public int size() {
        return values.size();
    }
}
