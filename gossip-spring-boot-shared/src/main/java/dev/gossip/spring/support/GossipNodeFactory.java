package dev.gossip.spring.support;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Profile;
import dev.gossip.core.Timings;
import dev.gossip.core.SeedAddress;
import dev.gossip.core.SnapshotPathException;
import dev.gossip.core.cluster.Tags;
import dev.gossip.core.rpc.RpcConfig;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.transport.TransportException;
import dev.gossip.core.transport.netty.PortBindException;
import dev.gossip.spring.GossipProperties;
import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * Builds and starts the application's gossip node from the properties, turning every
 * configuration mistake into a {@link GossipStartupException} that names the property to change.
 */
public final class GossipNodeFactory {

    private static final Logger log = LoggerFactory.getLogger(GossipNodeFactory.class);

    private GossipNodeFactory() {}

    /** {@code <service>-<8 hex digits>}: unique per start, never {@code <app>-<port>}. */
    public static String defaultNodeName(String serviceId) {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return (serviceId == null || serviceId.isBlank() ? "node" : serviceId) + "-" + HexFormat.of().formatHex(b);
    }

    /**
     * @param advertiseFallback address to advertise when binding to all interfaces and none is
     *     configured (from spring.cloud.inetutils), or null
     */
    public static GossipNode start(GossipProperties p, String nodeName, Map<String, String> tags,
                                   String advertiseFallback) {
        requireNetty42();
        validatePort(p.getBindPort(), "bind-port");
        validatePort(p.getAdvertisePort(), "advertise-port");
        validateSeeds(p.getSeeds());
        Keyring keyring = keyring(p.getEncryptKeys());
        try {
            Tags.encode(tags);
        } catch (IllegalArgumentException e) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".tags", e.getMessage(),
                    "Remove tags or shorten them (spring.cloud.gossip.tags and spring.cloud.gossip.discovery.metadata"
                            + " share the 512-byte limit)", e);
        }
        String advertise = p.getAdvertiseAddress();
        if ((advertise == null || advertise.isBlank()) && isWildcard(p.getBindAddress())) {
            advertise = advertiseFallback;
        } else if (advertise != null && !advertise.isBlank()) {
            validateAdvertiseAddress(advertise);
        }
        GossipConfig config = GossipConfig.builder().nodeName(nodeName).bindAddress(p.getBindAddress())
                .bindPort(p.getBindPort()).advertiseAddress(advertise).advertisePort(p.getAdvertisePort())
                .tags(tags).seeds(p.getSeeds()).keyring(keyring)
                .timings(timings(p)).retryJoin(p.isRetryJoin()).snapshotPath(snapshotPath(p.getSnapshotPath()))
                .rejoinAfterLeave(p.isRejoinAfterLeave()).rpc(rpc(p.getRpc())).build();
        GossipNode node = GossipNode.create(config);
        int joined;
        try {
            joined = node.start().get(p.getJoinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TransportException e) {
            node.shutdown();
            // the bind address is wrong, not the port (PortBindException's reason for EADDRNOTAVAIL)
            if (e instanceof PortBindException bind && bind.reason().contains("does not belong")) {
                throw new GossipStartupException(GossipProperties.PREFIX + ".bind-address", e.getMessage(),
                        "Set spring.cloud.gossip.bind-address to an IP address of this host, or 0.0.0.0", e);
            }
            throw new GossipStartupException(GossipProperties.PREFIX + ".bind-port", e.getMessage(),
                    "Set spring.cloud.gossip.bind-port to a free port (0 picks one) or stop the process using "
                            + p.getBindAddress() + ":" + p.getBindPort(), e);
        } catch (SnapshotPathException e) {
            node.shutdown();
            throw new GossipStartupException(GossipProperties.PREFIX + ".snapshot-path", e.getMessage(),
                    "Set spring.cloud.gossip.snapshot-path to a file this application may read and write (its"
                            + " directory is created if missing), or remove it to run without a snapshot", e);
        } catch (java.io.UncheckedIOException e) { // only the RPC server binds and throws this
            node.shutdown();
            throw new GossipStartupException(GossipProperties.PREFIX + ".rpc.address", e.getMessage(),
                    "Set spring.cloud.gossip.rpc.address to a free host:port of this host (port 0 picks one), or set"
                            + " spring.cloud.gossip.rpc.enabled=false", e);
        } catch (RuntimeException e) {
            node.shutdown(); // release the port and threads whatever went wrong
            throw e;
        } catch (TimeoutException e) {
            log.warn("No seed of {} answered within {}; starting anyway and retrying in the background",
                    p.getSeeds(), p.getJoinTimeout());
            return node;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.shutdown();
            throw new IllegalStateException("Interrupted while joining the gossip cluster", e);
        } catch (ExecutionException e) {
            node.shutdown();
            throw new IllegalStateException("Gossip node failed to start", e.getCause());
        }
        if (!p.getSeeds().isEmpty() && joined == 0) {
            log.warn("None of the seeds {} answered; this node is alone for now{}", p.getSeeds(),
                    p.isRetryJoin() ? " and keeps retrying" : "");
        }
        return node;
    }

    /**
     * The node's transport runs on Netty 4.2's event loops. Boot 4's dependency management names a 4.2;
     * Boot 3.5's names 4.1, which an application on Boot 3.5 has to override.
     */
    private static void requireNetty42() {
        if (!ClassUtils.isPresent("io.netty.channel.MultiThreadIoEventLoopGroup", GossipNodeFactory.class.getClassLoader())) {
            throw new GossipStartupException("netty.version",
                    "The gossip node needs Netty 4.2 (io.netty.channel.MultiThreadIoEventLoopGroup); the class path has "
                            + "an older Netty, as Spring Boot 3.5's dependency management selects (4.1.x)",
                    "Set the build property netty.version to 4.2.15.Final (with spring-boot-starter-parent), or import"
                            + " io.netty:netty-bom 4.2.15.Final ahead of spring-boot-dependencies", null);
        }
    }

    private static Path snapshotPath(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".snapshot-path", e.getMessage(),
                    "Set spring.cloud.gossip.snapshot-path to a valid file path, or remove it", e);
        }
    }

    private static void validatePort(int port, String property) {
        if (port < 0 || port > 65535) {
            throw new GossipStartupException(GossipProperties.PREFIX + "." + property,
                    "Port " + port + " is not between 0 and 65535",
                    "Set spring.cloud.gossip." + property + " to a port between 0 and 65535", null);
        }
    }

    private static void validateAdvertiseAddress(String address) {
        try {
            InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".advertise-address",
                    "Advertise address '" + address + "' does not resolve",
                    "Set spring.cloud.gossip.advertise-address to an address other nodes can reach this one at,"
                            + " or leave it unset", e);
        }
    }

    private static void validateSeeds(List<String> seeds) {
        for (String seed : seeds) {
            try {
                SeedAddress.resolve(seed, GossipConfig.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                throw new GossipStartupException(GossipProperties.PREFIX + ".seeds", e.getMessage(),
                        "Fix spring.cloud.gossip.seeds: each entry is host or host:port and the host must resolve", e);
            }
        }
    }

    private static Keyring keyring(List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        try {
            return Keyring.fromBase64(keys);
        } catch (IllegalArgumentException e) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".encrypt-keys", e.getMessage(),
                    "Set spring.cloud.gossip.encrypt-keys to base64 AES keys of 16, 24 or 32 bytes"
                            + " (e.g. the output of `serf keygen`)", e);
        }
    }

    private static boolean isWildcard(String address) {
        try {
            return address == null || InetAddress.getByName(address).isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".bind-address",
                    "Bind address '" + address + "' does not resolve",
                    "Set spring.cloud.gossip.bind-address to an IP address of this host, or 0.0.0.0", e);
        }
    }

    /**
     * The serf RPC server's settings, or null when disabled. {@code monitor} streams Logback's lines,
     * Spring Boot's default logging; with another backend it answers an error that says so.
     */
    private static RpcConfig rpc(GossipProperties.Rpc rpc) {
        if (!rpc.isEnabled()) {
            return null;
        }
        try {
            return RpcConfig.builder().address(rpc.getAddress()).authKey(rpc.getAuthKey()).build();
        } catch (IllegalArgumentException e) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".rpc.address", e.getMessage(),
                    "Set spring.cloud.gossip.rpc.address to host:port, e.g. 127.0.0.1:7373", e);
        }
    }

    /** The profile's timings with the member limit; a limit below 2 is refused, naming the property. */
    private static Timings timings(GossipProperties p) {
        if (p.getMaxMembers() < 2) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".max-members",
                    "max-members is " + p.getMaxMembers() + ", so this node could not know even one other",
                    "Set spring.cloud.gossip.max-members to at least the cluster's size (default 10000)", null);
        }
        return Profile.valueOf(p.getProfile().name()).timings().toBuilder().maxMembers(p.getMaxMembers()).build();
    }
}
