package dev.gossip.core.membership;

import java.util.List;
import java.util.function.Predicate;

/** The node list as push/pull and the prober read it. {@link Memberlist} owns it. */
interface Nodes {

    /** Every known node, ourselves included, in probe order. */
    List<NodeState> allNodes();

    /** Up to {@code k} distinct random nodes other than us that pass {@code filter}. */
    List<NodeState> randomNodes(int k, Predicate<NodeState> filter);
}
