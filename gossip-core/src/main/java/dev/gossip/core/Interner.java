package dev.gossip.core;

/**
 * Shares equal immutable values a node keeps about its members: names, addresses, meta and
 * version bytes, decoded tags. A node on the network has nobody to share them with and uses
 * {@link #NONE}. A simulation of thousands of nodes in one JVM gives all of them one interner,
 * so that each member's name, address and tags exist once, not once in every node that knows
 * the member (N² copies otherwise).
 *
 * <p>Whatever is handed in or out must never be mutated; byte arrays are compared by content.
 */
@FunctionalInterface
public interface Interner {

    /** Keeps every value as it is. */
    Interner NONE = new Interner() {
        @Override
        public <T> T intern(T value) {
            return value;
        }
    };

    /** @return a value equal to {@code value} (the same one for equal values), or {@code value} */
    <T> T intern(T value);
}
