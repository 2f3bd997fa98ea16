package dev.gossip.core;

import dev.gossip.core.security.Keyring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a node, in Serf's vocabulary: a unique name, where to bind, what to advertise, the
 * tags, who to join, the encryption keys and the timing profile.
 *
 * <pre>{@code
 * GossipConfig config = GossipConfig.builder()
 *         .nodeName("orders-7f3a")
 *         .bindAddress("0.0.0.0").bindPort(7946)
 *         .tags(Map.of("service", "orders"))
 *         .seeds(List.of("10.0.0.5:7946"))
 *         .build();
 * }</pre>
 */
public final class GossipConfig {

    /** memberlist's default port for both UDP and TCP. */
    public static final int DEFAULT_PORT = 7946;

    private final String nodeName;
    private final String bindAddress;
    private final int bindPort;
    private final String advertiseAddress;
    private final int advertisePort;
    private final Map<String, String> tags;
    private final List<String> seeds;
    private final Keyring keyring;
    private final Timings timings;
    private final boolean retryJoin;
    private final SeedResolver seedResolver;
    private final dev.gossip.core.rpc.RpcConfig rpc;
    private final Path snapshotPath;
    private final boolean rejoinAfterLeave;

    /** DNS: {@link SeedAddress#resolve}. */
    public static final SeedResolver DEFAULT_SEED_RESOLVER = SeedAddress::resolve;

    /** Turns a seed ({@code host[:port]}) into addresses; may block (DNS), so it never runs on the protocol thread. */
    @FunctionalInterface
    public interface SeedResolver {
        /** @throws IllegalArgumentException when the seed is malformed or does not resolve */
        List<java.net.InetSocketAddress> resolve(String seed, int defaultPort);
    }

    private GossipConfig(Builder b) {
        this.nodeName = b.nodeName;
        this.bindAddress = b.bindAddress;
        this.bindPort = b.bindPort;
        this.advertiseAddress = b.advertiseAddress;
        this.advertisePort = b.advertisePort;
        this.tags = Map.copyOf(b.tags);
        this.seeds = List.copyOf(b.seeds);
        this.keyring = b.keyring;
        this.timings = b.timings != null ? b.timings : b.profile.timings();
        this.retryJoin = b.retryJoin;
        this.seedResolver = b.seedResolver;
        this.rpc = b.rpc;
        this.snapshotPath = b.snapshotPath;
        this.rejoinAfterLeave = b.rejoinAfterLeave;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String nodeName() {
        return nodeName;
    }

    public String bindAddress() {
        return bindAddress;
    }

    public int bindPort() {
        return bindPort;
    }

    /** Address other nodes use to reach us; null = derived from the bind address. */
    public String advertiseAddress() {
        return advertiseAddress;
    }

    /** Port other nodes use to reach us; 0 = the bound port. */
    public int advertisePort() {
        return advertisePort;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public List<String> seeds() {
        return seeds;
    }

    /** Encryption keys, or null when gossip is not encrypted. */
    public Keyring keyring() {
        return keyring;
    }

    public Timings timings() {
        return timings;
    }

    /** Keep retrying the seeds in the background until one answers (Serf's retry-join). */
    public boolean retryJoin() {
        return retryJoin;
    }

    /** How seeds resolve: DNS by default ({@link SeedAddress#resolve}, every address of a name). */
    public SeedResolver seedResolver() {
        return seedResolver;
    }

    /** Serf's RPC server for the {@code serf} CLI ({@code -rpc-addr}); null = none (the default). */
    public dev.gossip.core.rpc.RpcConfig rpc() {
        return rpc;
    }

    /**
     * Serf's {@code -snapshot}: a file where the node records who is alive and its Lamport clocks,
     * so that after a restart it rejoins the members it knew and does not deliver old user events
     * and queries again. Null (the default) = no snapshot.
     */
    public Path snapshotPath() {
        return snapshotPath;
    }

    /**
     * Serf's {@code -rejoin}: rejoin from the snapshot even after a graceful leave. Off by default:
     * a node that left on purpose starts afresh from its seeds.
     */
    public boolean rejoinAfterLeave() {
        return rejoinAfterLeave;
    }

    /** Builds a {@link GossipConfig}; only the node name is required. */
    public static final class Builder {
        private String nodeName;
        private String bindAddress = "0.0.0.0";
        private int bindPort = DEFAULT_PORT;
        private String advertiseAddress;
        private int advertisePort;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String> seeds = new ArrayList<>();
        private Keyring keyring;
        private Profile profile = Profile.LAN;
        private Timings timings;
        private boolean retryJoin = true;
        private SeedResolver seedResolver = DEFAULT_SEED_RESOLVER;
        private dev.gossip.core.rpc.RpcConfig rpc;
        private Path snapshotPath;
        private boolean rejoinAfterLeave;

        public Builder nodeName(String v) {
            nodeName = v;
            return this;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder bindPort(int v) {
            bindPort = v;
            return this;
        }

        public Builder advertiseAddress(String v) {
            advertiseAddress = v;
            return this;
        }

        public Builder advertisePort(int v) {
            advertisePort = v;
            return this;
        }

        public Builder tags(Map<String, String> v) {
            tags.clear();
            tags.putAll(v);
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder seeds(List<String> v) {
            seeds.clear();
            seeds.addAll(v);
            return this;
        }

        /** Encrypts all gossip; the first key encrypts, every key decrypts. */
        public Builder keyring(Keyring v) {
            keyring = v;
            return this;
        }

        /** Base64 keys as {@code serf keygen} prints them; the first is the primary. */
        public Builder encryptKeys(List<String> base64) {
            keyring = base64 == null || base64.isEmpty() ? null : Keyring.fromBase64(base64);
            return this;
        }

        public Builder profile(Profile v) {
            profile = Objects.requireNonNull(v);
            return this;
        }

        /** Overrides the profile's timings entirely. */
        public Builder timings(Timings v) {
            timings = v;
            return this;
        }

        public Builder retryJoin(boolean v) {
            retryJoin = v;
            return this;
        }

        /** Replaces DNS for seeds (a cloud API, a service registry, a test). It may block. */
        public Builder seedResolver(SeedResolver v) {
            seedResolver = Objects.requireNonNull(v);
            return this;
        }

        /** Serves serf's RPC protocol while the node runs; null (the default) serves none. */
        public Builder rpc(dev.gossip.core.rpc.RpcConfig v) {
            rpc = v;
            return this;
        }

        /** See {@link GossipConfig#snapshotPath()}; null turns snapshots off. */
        public Builder snapshotPath(Path v) {
            snapshotPath = v;
            return this;
        }

        /** See {@link GossipConfig#rejoinAfterLeave()}. */
        public Builder rejoinAfterLeave(boolean v) {
            rejoinAfterLeave = v;
            return this;
        }

        public GossipConfig build() {
            if (nodeName == null || nodeName.isBlank()) {
                throw new IllegalArgumentException("A node name is required and must be unique in the cluster");
            }
            if (bindPort < 0 || bindPort > 65535) {
                throw new IllegalArgumentException("Bind port " + bindPort + " is not between 0 and 65535");
            }
            if (advertisePort < 0 || advertisePort > 65535) {
                throw new IllegalArgumentException("Advertise port " + advertisePort + " is not between 0 and 65535");
            }
            dev.gossip.core.cluster.Tags.encode(tags); // fails fast on oversize tags
            return new GossipConfig(this);
        }
    }
}
