package dev.gossip.core;

import java.time.Duration;

/**
 * Every protocol timing and limit, with memberlist's and Serf's names (protocol doc §8). Start
 * from a {@link Profile} and change what you need with {@link #toBuilder()}.
 *
 * @param probeInterval time between failure-detection probes (scaled by awareness)
 * @param probeTimeout how long to wait for a direct ack before asking helpers
 * @param indirectChecks helpers asked to probe a node that missed its direct ack
 * @param retransmitMult broadcasts are sent {@code retransmitMult × ceil(log10(N+1))} times
 * @param suspicionMult minimum suspicion timeout = {@code suspicionMult × max(1, log10 N) × probeInterval}
 * @param suspicionMaxTimeoutMult the suspicion timeout starts at this many times the minimum
 * @param pushPullInterval time between full state syncs with a random member (scaled above 32 members)
 * @param tcpTimeout deadline of a TCP exchange (push/pull, TCP ping)
 * @param gossipInterval time between gossip rounds
 * @param gossipNodes members each gossip round sends to
 * @param gossipToTheDeadTime how long dead members still receive gossip, so they learn they were declared dead
 * @param awarenessMaxMultiplier the probe interval may grow up to this factor when this node is unhealthy
 * @param udpBufferSize largest UDP packet we build
 * @param disableTcpPings don't fall back to TCP when UDP probes fail
 * @param enableCompression LZW-compress packets when smaller, and always on streams
 * @param deadNodeReclaimTime how long after a member was declared dead a node at another address
 *     may take over its name (memberlist's DeadNodeReclaimTime); zero means never: the name is
 *     free again only once the dead member is forgotten or when it had left gracefully.
 *     memberlist's default is zero; ours is 30 s, as Consul's agent sets it, so that a node
 *     restarted at a new address (a rescheduled container) gets its name back
 * @param broadcastTimeout how long a leave waits for its broadcasts to be sent
 * @param leavePropagateDelay how long a leaving node stays up after its leave was sent
 * @param reapInterval how often failed and left members are checked for reaping
 * @param reconnectInterval how often we try to reconnect to a failed member
 * @param reconnectTimeout failed members are forgotten after this
 * @param tombstoneTimeout left members are forgotten after this
 * @param queueCheckInterval how often the broadcast queues are checked against their depth limit
 * @param maxQueueDepth most broadcasts kept in each queue (Serf's MaxQueueDepth)
 * @param recentIntentTimeout how long join/leave intents about unknown nodes are remembered
 * @param eventBuffer user events remembered for de-duplication and push/pull (by Lamport time)
 * @param queryBuffer queries remembered for de-duplication (by Lamport time)
 * @param queryTimeoutMult default query timeout = {@code gossipInterval × queryTimeoutMult × ceil(log10(N+1))}
 * @param querySizeLimit largest encoded query, bytes
 * @param queryResponseSizeLimit largest encoded query response, bytes
 * @param userEventSizeLimit largest user event (name + payload), bytes
 * @param maxMembers most members (of any status) a node keeps; an alive message or push/pull entry
 *     naming one more is dropped and counted ({@code member-limit}). memberlist and Serf have no
 *     limit, so in an unencrypted cluster anyone who can reach the port could grow the member
 *     list without bound. Default 10,000, twice the largest cluster this project simulates
 * @param enableNameConflictResolution when another node claims our name, ask the cluster who owns
 *     it ({@code _serf_conflict}) and shut down if the answer is the other node (Serf's
 *     EnableNameConflictResolution, on by default); off, the conflict is only logged
 * @param stormQueueDepth gossip-core's own, a local policy: while this many broadcasts or more
 *     wait in the membership queue (a mass join or restart), and for 10 probe intervals after,
 *     a node adds a push/pull with a random member every probe interval, and drops the queued
 *     news that a push/pull shows the other side already had; 0 = never (memberlist's
 *     behaviour). Default 64: a few members' churn never reaches it (see protocol doc §5.3)
 * @param eagerGossipDepth gossip-core's own, a local policy: when news is queued (a join, a
 *     leave, a suspicion, a Serf intent or event) while the membership queue holds at most this
 *     many broadcasts, gossip it at once rather than at the next gossip round, so that each hop
 *     costs a network delay and not half a gossip interval on average; each message is still sent
 *     its RetransmitMult × log(N) times, only sooner. 0 = never (memberlist's behaviour). Default
 *     8: a mass join's deep queues fill every round's packets anyway (see protocol doc §5.3)
 */
public record Timings(
        Duration probeInterval,
        Duration probeTimeout,
        int indirectChecks,
        int retransmitMult,
        int suspicionMult,
        int suspicionMaxTimeoutMult,
        Duration pushPullInterval,
        Duration tcpTimeout,
        Duration gossipInterval,
        int gossipNodes,
        Duration gossipToTheDeadTime,
        int awarenessMaxMultiplier,
        int udpBufferSize,
        boolean disableTcpPings,
        boolean enableCompression,
        Duration deadNodeReclaimTime,
        Duration broadcastTimeout,
        Duration leavePropagateDelay,
        Duration reapInterval,
        Duration reconnectInterval,
        Duration reconnectTimeout,
        Duration tombstoneTimeout,
        Duration queueCheckInterval,
        int maxQueueDepth,
        Duration recentIntentTimeout,
        int eventBuffer,
        int queryBuffer,
        int queryTimeoutMult,
        int querySizeLimit,
        int queryResponseSizeLimit,
        int userEventSizeLimit,
        int maxMembers,
        boolean enableNameConflictResolution,
        int stormQueueDepth,
        int eagerGossipDepth) {

    /**
     * @throws IllegalArgumentException if deadNodeReclaimTime is null or negative, or maxMembers
     *     is below 2 (ourselves and one other)
     */
    public Timings {
        if (deadNodeReclaimTime == null || deadNodeReclaimTime.isNegative()) {
            throw new IllegalArgumentException("deadNodeReclaimTime must be zero (never) or positive, was "
                    + deadNodeReclaimTime);
        }
        if (maxMembers < 2) {
            throw new IllegalArgumentException("maxMembers must be at least 2, was " + maxMembers);
        }
        if (stormQueueDepth < 0) {
            throw new IllegalArgumentException("stormQueueDepth must be 0 (never) or positive, was " + stormQueueDepth);
        }
        if (eagerGossipDepth < 0) {
            throw new IllegalArgumentException("eagerGossipDepth must be 0 (never) or positive, was " + eagerGossipDepth);
        }
    }

    /**
     * The longest a graceful leave takes: the leave intent's broadcast, then memberlist's
     * dead-from-self broadcast, each bounded by broadcastTimeout, then leavePropagateDelay
     * (serf.go:Leave, memberlist.go:Leave). Whoever awaits {@code GossipNode.leave()} waits this long.
     */
    public Duration leaveTimeout() {
        return broadcastTimeout.multipliedBy(2).plus(leavePropagateDelay);
    }

    /** memberlist's DefaultLANConfig with Serf's defaults (agent values for size limits). */
    public static Timings lan() {
        return builder()
                // memberlist config.go:DefaultLANConfig
                .probeInterval(ms(1000)).probeTimeout(ms(500)).indirectChecks(3)
                .retransmitMult(4).suspicionMult(4).suspicionMaxTimeoutMult(6)
                .pushPullInterval(ms(30_000)).tcpTimeout(ms(10_000))
                .gossipInterval(ms(200)).gossipNodes(3).gossipToTheDeadTime(ms(30_000))
                .awarenessMaxMultiplier(8).udpBufferSize(1400)
                .disableTcpPings(false).enableCompression(true)
                // serf config.go:DefaultConfig
                .broadcastTimeout(ms(5000)).leavePropagateDelay(ms(1000))
                .reapInterval(ms(15_000)).reconnectInterval(ms(30_000))
                .reconnectTimeout(Duration.ofHours(24)).tombstoneTimeout(Duration.ofHours(24))
                .queueCheckInterval(ms(30_000)).maxQueueDepth(4096)
                .recentIntentTimeout(Duration.ofMinutes(5)).eventBuffer(512).queryBuffer(512)
                .queryTimeoutMult(16).querySizeLimit(1024).queryResponseSizeLimit(1024)
                .userEventSizeLimit(512).enableNameConflictResolution(true)
                // gossip-core's own: a bound, and Consul's reclaim time (memberlist's 0 means a
                // node restarted at a new address can't have its name back until it is reaped)
                .maxMembers(10_000).deadNodeReclaimTime(ms(30_000)).stormQueueDepth(64)
                .eagerGossipDepth(8)
                .build();
    }

    /** memberlist's DefaultWANConfig: LAN with what it changes. */
    public static Timings wan() {
        return lan().toBuilder()
                .tcpTimeout(ms(30_000)).suspicionMult(6).pushPullInterval(ms(60_000))
                .probeTimeout(ms(3000)).probeInterval(ms(5000))
                .gossipNodes(4).gossipInterval(ms(500)).gossipToTheDeadTime(ms(60_000))
                .build();
    }

    /** memberlist's DefaultLocalConfig: LAN with what it changes (its ProbeInterval is LAN's 1 s). */
    public static Timings local() {
        return lan().toBuilder()
                .tcpTimeout(ms(1000)).indirectChecks(1).retransmitMult(2).suspicionMult(3)
                .pushPullInterval(ms(15_000)).probeTimeout(ms(200))
                .gossipInterval(ms(100)).gossipToTheDeadTime(ms(15_000))
                .build();
    }

    /** Empty: only {@link #lan()} starts here, everything else starts from a preset. */
    private static Builder builder() {
        return new Builder();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few timings of a preset. */
    public static final class Builder {
        private Duration probeInterval, probeTimeout, pushPullInterval, tcpTimeout, gossipInterval,
                gossipToTheDeadTime, deadNodeReclaimTime, broadcastTimeout, leavePropagateDelay,
                reapInterval, reconnectInterval, reconnectTimeout, tombstoneTimeout, queueCheckInterval,
                recentIntentTimeout;
        private int indirectChecks, retransmitMult, suspicionMult, suspicionMaxTimeoutMult,
                gossipNodes, awarenessMaxMultiplier, udpBufferSize, maxQueueDepth, eventBuffer,
                queryBuffer, queryTimeoutMult, querySizeLimit, queryResponseSizeLimit,
                userEventSizeLimit, maxMembers, stormQueueDepth, eagerGossipDepth;
        private boolean disableTcpPings, enableCompression, enableNameConflictResolution;

        private Builder() {
        }

        private Builder(Timings t) {
            probeInterval = t.probeInterval;
            probeTimeout = t.probeTimeout;
            indirectChecks = t.indirectChecks;
            retransmitMult = t.retransmitMult;
            suspicionMult = t.suspicionMult;
            suspicionMaxTimeoutMult = t.suspicionMaxTimeoutMult;
            pushPullInterval = t.pushPullInterval;
            tcpTimeout = t.tcpTimeout;
            gossipInterval = t.gossipInterval;
            gossipNodes = t.gossipNodes;
            gossipToTheDeadTime = t.gossipToTheDeadTime;
            awarenessMaxMultiplier = t.awarenessMaxMultiplier;
            udpBufferSize = t.udpBufferSize;
            disableTcpPings = t.disableTcpPings;
            enableCompression = t.enableCompression;
            deadNodeReclaimTime = t.deadNodeReclaimTime;
            broadcastTimeout = t.broadcastTimeout;
            leavePropagateDelay = t.leavePropagateDelay;
            reapInterval = t.reapInterval;
            reconnectInterval = t.reconnectInterval;
            reconnectTimeout = t.reconnectTimeout;
            tombstoneTimeout = t.tombstoneTimeout;
            queueCheckInterval = t.queueCheckInterval;
            maxQueueDepth = t.maxQueueDepth;
            recentIntentTimeout = t.recentIntentTimeout;
            eventBuffer = t.eventBuffer;
            queryBuffer = t.queryBuffer;
            queryTimeoutMult = t.queryTimeoutMult;
            querySizeLimit = t.querySizeLimit;
            queryResponseSizeLimit = t.queryResponseSizeLimit;
            userEventSizeLimit = t.userEventSizeLimit;
            maxMembers = t.maxMembers;
            enableNameConflictResolution = t.enableNameConflictResolution;
            stormQueueDepth = t.stormQueueDepth;
            eagerGossipDepth = t.eagerGossipDepth;
        }

        public Builder probeInterval(Duration v) { probeInterval = v; return this; }
        public Builder probeTimeout(Duration v) { probeTimeout = v; return this; }
        public Builder indirectChecks(int v) { indirectChecks = v; return this; }
        public Builder retransmitMult(int v) { retransmitMult = v; return this; }
        public Builder suspicionMult(int v) { suspicionMult = v; return this; }
        public Builder suspicionMaxTimeoutMult(int v) { suspicionMaxTimeoutMult = v; return this; }
        public Builder pushPullInterval(Duration v) { pushPullInterval = v; return this; }
        public Builder tcpTimeout(Duration v) { tcpTimeout = v; return this; }
        public Builder gossipInterval(Duration v) { gossipInterval = v; return this; }
        public Builder gossipNodes(int v) { gossipNodes = v; return this; }
        public Builder gossipToTheDeadTime(Duration v) { gossipToTheDeadTime = v; return this; }
        public Builder awarenessMaxMultiplier(int v) { awarenessMaxMultiplier = v; return this; }
        public Builder udpBufferSize(int v) { udpBufferSize = v; return this; }
        public Builder disableTcpPings(boolean v) { disableTcpPings = v; return this; }
        public Builder enableCompression(boolean v) { enableCompression = v; return this; }

        /**
         * After how long a dead member's name may be taken by a node at another address; zero
         * (the default) = never. {@link #build()} refuses null or a negative duration.
         */
        public Builder deadNodeReclaimTime(Duration v) { deadNodeReclaimTime = v; return this; }

        public Builder broadcastTimeout(Duration v) { broadcastTimeout = v; return this; }
        public Builder leavePropagateDelay(Duration v) { leavePropagateDelay = v; return this; }
        public Builder reapInterval(Duration v) { reapInterval = v; return this; }
        public Builder reconnectInterval(Duration v) { reconnectInterval = v; return this; }
        public Builder reconnectTimeout(Duration v) { reconnectTimeout = v; return this; }
        public Builder tombstoneTimeout(Duration v) { tombstoneTimeout = v; return this; }
        public Builder queueCheckInterval(Duration v) { queueCheckInterval = v; return this; }
        public Builder maxQueueDepth(int v) { maxQueueDepth = v; return this; }
        public Builder recentIntentTimeout(Duration v) { recentIntentTimeout = v; return this; }
        public Builder eventBuffer(int v) { eventBuffer = v; return this; }
        public Builder queryBuffer(int v) { queryBuffer = v; return this; }
        public Builder queryTimeoutMult(int v) { queryTimeoutMult = v; return this; }
        public Builder querySizeLimit(int v) { querySizeLimit = v; return this; }
        public Builder queryResponseSizeLimit(int v) { queryResponseSizeLimit = v; return this; }
        public Builder userEventSizeLimit(int v) { userEventSizeLimit = v; return this; }
        public Builder maxMembers(int v) { maxMembers = v; return this; }

        /** Whether a conflict over our own name is put to the cluster, and lost by shutting down (default true). */
        public Builder enableNameConflictResolution(boolean v) { enableNameConflictResolution = v; return this; }

        /** Queue depth from which push/pulls are added during a membership storm; 0 = never. */
        public Builder stormQueueDepth(int v) { stormQueueDepth = v; return this; }

        /** Deepest membership queue at which news is gossiped at once; 0 = never. */
        public Builder eagerGossipDepth(int v) { eagerGossipDepth = v; return this; }

        public Timings build() {
            return new Timings(probeInterval, probeTimeout, indirectChecks, retransmitMult,
                    suspicionMult, suspicionMaxTimeoutMult, pushPullInterval, tcpTimeout,
                    gossipInterval, gossipNodes, gossipToTheDeadTime, awarenessMaxMultiplier,
                    udpBufferSize, disableTcpPings, enableCompression, deadNodeReclaimTime,
                    broadcastTimeout, leavePropagateDelay, reapInterval, reconnectInterval,
                    reconnectTimeout, tombstoneTimeout, queueCheckInterval, maxQueueDepth,
                    recentIntentTimeout, eventBuffer, queryBuffer, queryTimeoutMult,
                    querySizeLimit, queryResponseSizeLimit, userEventSizeLimit, maxMembers,
                    enableNameConflictResolution, stormQueueDepth, eagerGossipDepth);
        }
    }
}
