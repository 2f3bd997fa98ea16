package dev.gossip.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gossip node: where it listens, what it advertises, who it joins. One node per application
 * context.
 */
@ConfigurationProperties(GossipProperties.PREFIX)
public class GossipProperties {

    public static final String PREFIX = "spring.cloud.gossip";

    /** Whether the gossip node (and everything built on it) is enabled. */
    private boolean enabled = true;

    /**
     * Node name, unique in the cluster. Defaults to the service id plus a random suffix of 8 hex
     * digits, new at every start, so two instances never collide.
     */
    private String nodeName;

    /** Address the gossip port binds to (UDP and TCP). */
    private String bindAddress = "0.0.0.0";

    /** Gossip port, for both UDP and TCP. 0 picks a free port. */
    private int bindPort = 7946;

    /**
     * Address other nodes use to reach this one. Defaults to the bind address, or, when binding
     * to all interfaces, the address chosen by spring.cloud.inetutils.
     */
    private String advertiseAddress;

    /** Port other nodes use to reach this one (behind NAT or port mapping). 0 = the bind port. */
    private int advertisePort;

    /**
     * Nodes to join at start-up, as host:port (port defaults to 7946). A DNS name resolves to
     * all its addresses, so a Kubernetes headless service works as a single seed.
     */
    private List<String> seeds = new ArrayList<>();

    /** Timing profile: lan (data centre), wan (between data centres) or local (one host). */
    private ProfileName profile = ProfileName.LAN;

    /**
     * Base64 AES keys (16, 24 or 32 bytes, e.g. from `serf keygen`). The first encrypts, all
     * decrypt. Empty = no encryption.
     */
    private List<String> encryptKeys = new ArrayList<>();

    /**
     * Free-form tags gossiped with this node, visible to every member and in `serf members`.
     * Empty by default. With the service tags they must fit in 512 bytes encoded.
     */
    private Map<String, String> tags = new LinkedHashMap<>();

    /** Keep retrying the seeds in the background while none answers. */
    private boolean retryJoin = true;

    /**
     * File where the node records who is alive and its Lamport clocks (serf's -snapshot), in serf's
     * format. After a restart the node rejoins the members it knew, even if no seed answers, and
     * does not handle user events and queries it handled before. Unset by default: no snapshot.
     * One file per instance, on storage that outlives the process; set node-name too, so the
     * cluster sees the same member come back rather than a new one.
     */
    private String snapshotPath;

    /**
     * Rejoin from the snapshot even after this node left the cluster gracefully (serf's -rejoin).
     * Off: a node that left on purpose starts afresh from its seeds.
     */
    private boolean rejoinAfterLeave = false;

    /**
     * Most members (of any status) this node keeps; alive messages naming more are dropped and
     * counted (gossip.drops, reason member-limit). Raise it only for a cluster this large: without
     * encryption the limit is what keeps a stranger from growing the member list without bound.
     */
    private int maxMembers = 10_000;

    /** How long start-up waits for the first join before going on (the node keeps trying). */
    private Duration joinTimeout = Duration.ofSeconds(5);

    /**
     * On shutdown, how long to keep serving after telling the cluster we are leaving, so peers
     * stop routing to us before the web server stops.
     */
    private Duration drainPeriod = Duration.ofMillis(1500);

    /** The live cluster dashboard page. */
    private final Dashboard dashboard = new Dashboard();

    /** Dashboard settings. */
    public static class Dashboard {
        /** Serve the live cluster dashboard page (off by default). */
        private boolean enabled = false;

        /** Path of the dashboard page; its data is served at {path}/members. */
        private String path = "/gossip";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    /** Gossip user and member events as Spring application events. */
    private final Events events = new Events();

    /** Answering gossip queries with GossipQueryHandler beans. */
    private final Queries queries = new Queries();

    /** Settings of the application events made from gossip events. */
    public static class Events {
        /** Publish gossip user and member events as GossipUserEvent and GossipMemberEvent. */
        private boolean enabled = true;

        /**
         * Events waiting for the listeners. When slow listeners let it fill up, further events
         * are dropped and counted (gossip.events.dropped) rather than holding up the gossip node.
         */
        private int queueCapacity = 1000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }
    }

    /** Settings of the threads that answer gossip queries. */
    public static class Queries {
        /**
         * Longest a query handler may run; it is then interrupted and the query goes unanswered.
         * An answer after the query's own deadline (Serf's default is 3.2 s on a small LAN) is
         * discarded as well.
         */
        private Duration handlerTimeout = Duration.ofSeconds(1);

        /** Threads that run query handlers. */
        private int handlerThreads = 2;

        /** Queries waiting for a handler thread; more are left unanswered and counted. */
        private int queueCapacity = 64;

        public Duration getHandlerTimeout() {
            return handlerTimeout;
        }

        public void setHandlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = handlerTimeout;
        }

        public int getHandlerThreads() {
            return handlerThreads;
        }

        public void setHandlerThreads(int handlerThreads) {
            this.handlerThreads = handlerThreads;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }
    }

    public Events getEvents() {
        return events;
    }

    public Queries getQueries() {
        return queries;
    }

    private final Rpc rpc = new Rpc();

    /** Serf's RPC protocol, so the {@code serf} CLI works against this node with {@code -rpc-addr}. */
    public static class Rpc {
        /** Serve serf's RPC protocol (off by default: whoever reaches the port can make the node leave). */
        private boolean enabled = false;

        /** host:port to serve it on, as serf agent's -rpc-addr; loopback unless you mean otherwise. */
        private String address = "127.0.0.1:7373";

        /** Token clients must send before any command (the CLI's -rpc-auth); none by default. */
        private String authKey;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getAuthKey() {
            return authKey;
        }

        public void setAuthKey(String authKey) {
            this.authKey = authKey;
        }
    }

    public Rpc getRpc() {
        return rpc;
    }

    private final Dns dns = new Dns();

    /** A DNS server answering SRV and A/AAAA queries for services and members (docs/dns.md). */
    public static class Dns {
        /** Answer DNS queries for services and members (off by default). */
        private boolean enabled = false;

        /**
         * host:port (UDP) to answer on. Loopback by default: whoever reaches the port can read the
         * service map. 0.0.0.0:8600 answers on every interface; port 0 picks a free one.
         */
        private String address = "127.0.0.1:8600";

        /** Domain the names are under, as in greeter.service.gossip; other names are refused. */
        private String domain = "gossip";

        /**
         * Time to live of every record. 0s by default, so that resolvers and load balancers do not
         * cache an instance that has just gone.
         */
        private Duration ttl = Duration.ofSeconds(0);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getDomain() {
            return domain;
        }

        public void setDomain(String domain) {
            this.domain = domain;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    public Dns getDns() {
        return dns;
    }

    /** The catalog API (docs/catalog.md): this member's view of the services over HTTP. */
    private final Catalog catalog = new Catalog();

    /** Which web server serves the catalog. */
    public enum CatalogServer {
        /** The application's server ({@code server.port}). */
        APPLICATION,
        /** The management server ({@code management.server.port}); the application's when they share a port. */
        MANAGEMENT
    }

    /** Catalog settings, for clients outside the gossip cluster. */
    public static class Catalog {
        /** Serve the catalog API (off by default: it tells whoever reaches it where every service runs). */
        private boolean enabled = false;

        /** Base path of the catalog; the API is below it, at {path}/v1/... */
        private String path = "/gossip/catalog";

        /** The web server that serves the catalog: the application's or the management server. */
        private CatalogServer server = CatalogServer.APPLICATION;

        /** Interval of the keep-alive comments a watch stream sends while nothing else was sent. */
        private Duration keepAlive = Duration.ofSeconds(15);

        /** Watch streams served at once; one more is answered 503 with Retry-After. */
        private int maxWatchers = 256;

        /** Events a watch stream may fall behind before it is disconnected (its client resyncs from a snapshot). */
        private int maxPendingEvents = 1000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public CatalogServer getServer() {
            return server;
        }

        public void setServer(CatalogServer server) {
            this.server = server;
        }

        public Duration getKeepAlive() {
            return keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
        }

        public int getMaxWatchers() {
            return maxWatchers;
        }

        public void setMaxWatchers(int maxWatchers) {
            this.maxWatchers = maxWatchers;
        }

        public int getMaxPendingEvents() {
            return maxPendingEvents;
        }

        public void setMaxPendingEvents(int maxPendingEvents) {
            this.maxPendingEvents = maxPendingEvents;
        }
    }

    public Catalog getCatalog() {
        return catalog;
    }

    /** Timing profiles, as memberlist names them. */
    public enum ProfileName { LAN, WAN, LOCAL }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getBindPort() {
        return bindPort;
    }

    public void setBindPort(int bindPort) {
        this.bindPort = bindPort;
    }

    public String getAdvertiseAddress() {
        return advertiseAddress;
    }

    public void setAdvertiseAddress(String advertiseAddress) {
        this.advertiseAddress = advertiseAddress;
    }

    public int getAdvertisePort() {
        return advertisePort;
    }

    public void setAdvertisePort(int advertisePort) {
        this.advertisePort = advertisePort;
    }

    public List<String> getSeeds() {
        return seeds;
    }

    public void setSeeds(List<String> seeds) {
        this.seeds = seeds;
    }

    public ProfileName getProfile() {
        return profile;
    }

    public void setProfile(ProfileName profile) {
        this.profile = profile;
    }

    public List<String> getEncryptKeys() {
        return encryptKeys;
    }

    public void setEncryptKeys(List<String> encryptKeys) {
        this.encryptKeys = encryptKeys;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    public void setTags(Map<String, String> tags) {
        this.tags = tags;
    }

    public int getMaxMembers() {
        return maxMembers;
    }

    public void setMaxMembers(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    public boolean isRetryJoin() {
        return retryJoin;
    }

    public void setRetryJoin(boolean retryJoin) {
        this.retryJoin = retryJoin;
    }

    public String getSnapshotPath() {
        return snapshotPath;
    }

    public void setSnapshotPath(String snapshotPath) {
        this.snapshotPath = snapshotPath;
    }

    public boolean isRejoinAfterLeave() {
        return rejoinAfterLeave;
    }

    public void setRejoinAfterLeave(boolean rejoinAfterLeave) {
        this.rejoinAfterLeave = rejoinAfterLeave;
    }

    public Duration getJoinTimeout() {
        return joinTimeout;
    }

    public void setJoinTimeout(Duration joinTimeout) {
        this.joinTimeout = joinTimeout;
    }

    public Duration getDrainPeriod() {
        return drainPeriod;
    }

    public void setDrainPeriod(Duration drainPeriod) {
        this.drainPeriod = drainPeriod;
    }

    @Override
    public String toString() {
        return "GossipProperties[node=" + nodeName + ", bind=" + bindAddress + ":" + bindPort
                + ", seeds=" + seeds + ", profile=" + profile + ", encrypted=" + !encryptKeys.isEmpty() + "]";
    }
}
