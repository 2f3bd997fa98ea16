package dev.gossip.spring.config;

import dev.gossip.spring.GossipProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a running gossip node is bound to for life: its name, sockets, seeds, keys and timings. If
 * the application's final configuration differs in any of these from what the bootstrap node was
 * started with, the application needs a node of its own. Tags are not here: a node can change them.
 */
final class NodeSettings {

    private final String nodeName;
    private final String bindAddress;
    private final int bindPort;
    private final String advertiseAddress;
    private final int advertisePort;
    private final Set<String> seeds;
    private final GossipProperties.ProfileName profile;
    private final List<String> encryptKeys;
    private final boolean retryJoin;
    private final int maxMembers;
    private final String snapshotPath;
    private final boolean rejoinAfterLeave;

    private NodeSettings(GossipProperties p, String nodeName) {
        this.nodeName = nodeName;
        this.bindAddress = blankToNull(p.getBindAddress());
        this.bindPort = p.getBindPort();
        this.advertiseAddress = blankToNull(p.getAdvertiseAddress());
        this.advertisePort = p.getAdvertisePort();
        this.seeds = Set.copyOf(p.getSeeds()); // order does not matter for joining
        this.profile = p.getProfile();
        this.encryptKeys = List.copyOf(p.getEncryptKeys()); // order does: the first key encrypts
        this.retryJoin = p.isRetryJoin();
        this.maxMembers = p.getMaxMembers();
        this.snapshotPath = blankToNull(p.getSnapshotPath());
        this.rejoinAfterLeave = p.isRejoinAfterLeave();
    }

    /**
     * @param generatedName the name the node got when {@code spring.cloud.gossip.node-name} is unset
     */
    static NodeSettings of(GossipProperties p, String generatedName) {
        String configured = blankToNull(p.getNodeName());
        return new NodeSettings(p, configured != null ? configured : generatedName);
    }

    /** Names of the properties whose value differs in {@code other}; never the values (keys are secret). */
    List<String> changedIn(NodeSettings other) {
        List<String> changed = new ArrayList<>();
        check(changed, "node-name", nodeName, other.nodeName);
        check(changed, "bind-address", bindAddress, other.bindAddress);
        check(changed, "bind-port", bindPort, other.bindPort);
        check(changed, "advertise-address", advertiseAddress, other.advertiseAddress);
        check(changed, "advertise-port", advertisePort, other.advertisePort);
        check(changed, "seeds", seeds, other.seeds);
        check(changed, "profile", profile, other.profile);
        check(changed, "encrypt-keys", encryptKeys, other.encryptKeys);
        check(changed, "retry-join", retryJoin, other.retryJoin);
        check(changed, "max-members", maxMembers, other.maxMembers);
        check(changed, "snapshot-path", snapshotPath, other.snapshotPath);
        check(changed, "rejoin-after-leave", rejoinAfterLeave, other.rejoinAfterLeave);
        return changed;
    }

    private static void check(List<String> changed, String property, Object mine, Object theirs) {
        if (!Objects.equals(mine, theirs)) {
            changed.add(GossipProperties.PREFIX + "." + property);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
