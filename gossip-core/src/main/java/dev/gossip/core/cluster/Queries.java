package dev.gossip.core.cluster;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Timings;
import dev.gossip.core.wire.IpAddresses;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.membership.Memberlist;
import dev.gossip.core.membership.TransmitLimitedQueue;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.QueryResponseMessage;
import dev.gossip.core.wire.RelayHeader;
import dev.gossip.core.wire.SerfMessageType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf queries (§7.8, §7.9): sending them and collecting acks and responses, answering them
 * (filters, acks, relays), de-duplicating by Lamport time, and the internal {@code _serf_*}
 * queries (ping, name conflict, key management).
 */
final class Queries {

    private static final Logger log = LoggerFactory.getLogger(Queries.class);
    static final String INTERNAL_PREFIX = "_serf_";
    private static final int FILTER_NODES = 0;
    private static final int FILTER_TAG = 1;
    /** Regular expressions in tag filters come from the network: bound the work they may cause. */
    private static final int MAX_REGEX_LENGTH = 256;
    private static final int REGEX_STEP_BUDGET = 100_000;

    /**
     * A query we sent, waiting for answers until its deadline. At most {@code limit} acks and
     * {@code limit} responses are kept: the member count when it was sent, as Go sizes its
     * channels (query.go:newQueryResponse, fed non-blocking in serf.go:handleQueryResponse).
     */
    /** A query we sent; {@code direct}: count only responses sent from the responder's own address. */
    private record Pending(int id, QueryHandle.Feed feed, int limit, Set<String> acked, Set<String> responded,
                           boolean direct) {}

    /** Serf's member table, as queries consult it. */
    interface Members {
        /** Every member, whatever its status, ourselves included. */
        int memberCount();

        /** The alive members other than us: the relays and the conflict voters. */
        List<MemberState> aliveOthers();

        /** A member by name, or null. */
        MemberState memberState(String name);
    }

    private final String localName;
    private final Timings timings;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final GossipStats stats;
    private final AtomicReference<Keyring> keyring;
    private final LamportClock queryClock;
    private final TransmitLimitedQueue queryBroadcasts;
    private final Supplier<Memberlist> memberlist;
    private final Members members;
    private final Supplier<Map<String, String>> tags;
    private final Consumer<Query> emit;
    private final Runnable onConflictLost;
    private final BooleanSupplier shutdown;
    private final long[] seenLTimes;
    private final List<Set<Integer>> seenIds;
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Queries before this time were handled before a restart (serf.go queryMinTime, from the snapshot). */
    private long minTime;
    /** Told the time of each query accepted for processing: the snapshot's query clock. */
    private java.util.function.LongConsumer accepted = ltime -> { };

    /**
     * @param keyring        the keys the {@code _serf_*-key} queries list and change
     * @param memberlist     the failure detector below, once Serf has started: our address, the
     *                       node count, and direct sends of responses
     * @param tags           our current tags, for tag filters
     * @param emit           hands a query for the application to the listener
     * @param onConflictLost called when a name conflict is resolved against us
     * @param shutdown       whether Serf has shut down: responses are then not sent
     */
    Queries(String localName, Timings timings, Scheduler scheduler, RandomGenerator random, GossipStats stats,
            AtomicReference<Keyring> keyring, LamportClock queryClock, TransmitLimitedQueue queryBroadcasts,
            Supplier<Memberlist> memberlist, Members members, Supplier<Map<String, String>> tags,
            Consumer<Query> emit, Runnable onConflictLost, BooleanSupplier shutdown) {
        this.localName = localName;
        this.timings = timings;
        this.scheduler = scheduler;
        this.random = random;
        this.stats = stats;
        this.keyring = keyring;
        this.queryClock = queryClock;
        this.queryBroadcasts = queryBroadcasts;
        this.memberlist = memberlist;
        this.members = members;
        this.tags = tags;
        this.emit = emit;
        this.onConflictLost = onConflictLost;
        this.shutdown = shutdown;
        int size = timings.queryBuffer();
        this.seenLTimes = new long[size];
        Arrays.fill(seenLTimes, -1);
        this.seenIds = new ArrayList<>(Collections.nCopies(size, (Set<Integer>) null));
    }

    void shutdown() {
        pending.values().forEach(p -> p.feed().finish());
        pending.clear();
    }

    /** Queries we sent that still collect answers; a diagnostic. */
    int pendingQueries() {
        return pending.size();
    }

    /** Query ids remembered for de-duplication, over all Lamport times in the window; a diagnostic. */
    int seenQueryIds() {
        int n = 0;
        for (Set<Integer> ids : seenIds) {
            if (ids != null) {
                n += ids.size();
            }
        }
        return n;
    }

    /** Default timeout: GossipInterval × QueryTimeoutMult × ceil(log10(N+1)) (§8.4). */
    long defaultTimeoutNanos() {
        int n = memberlist.get().numNodes();
        return timings.gossipInterval().toNanos() * timings.queryTimeoutMult()
                * (long) Math.ceil(Math.log10(n + 1.0));
    }

    QueryHandle send(String name, byte[] payload, QueryParams params) {
        return send(name, payload, params, false);
    }

    private QueryHandle send(String name, byte[] payload, QueryParams params, boolean direct) {
        long timeout = params.timeout() == null || params.timeout().isZero()
                ? defaultTimeoutNanos() : params.timeout().toNanos();
        List<byte[]> filters = new ArrayList<>();
        if (!params.filterNodes().isEmpty()) {
            filters.add(prefixed(FILTER_NODES, new MsgWriter().stringList(params.filterNodes()).toByteArray()));
        }
        params.filterTags().forEach((tag, expr) -> filters.add(prefixed(FILTER_TAG,
                new MsgWriter().map(2).str("Expr").str(expr).str("Tag").str(tag).toByteArray())));
        InetSocketAddress self = memberlist.get().self().address();
        QueryMessage q = new QueryMessage(queryClock.time(), random.nextInt(),
                self.getAddress().getAddress(), self.getPort(), localName,
                filters.isEmpty() ? null : filters, params.requestAck() ? QueryMessage.FLAG_ACK : 0,
                params.relayFactor(), timeout, name, payload == null ? new byte[0] : payload);
        byte[] raw = q.encode();
        if (raw.length > timings.querySizeLimit()) {
            throw new IllegalArgumentException("Query '" + name + "' is " + raw.length
                    + " bytes encoded; the limit is " + timings.querySizeLimit());
        }
        QueryHandle.Feed feed = QueryHandle.open(name);
        int limit = Math.max(1, memberlist.get().numNodes());
        Pending p = new Pending(q.id(), feed, limit, new HashSet<>(), new HashSet<>(), direct);
        pending.put(q.ltime(), p);
        scheduler.schedule(timeout, () -> {
            if (pending.get(q.ltime()) == p) {
                pending.remove(q.ltime());
            }
            feed.finish();
        });
        queryClock.increment();
        handleQuery(q);
        queryBroadcasts.queue(null, raw);
        return feed.handle();
    }

    private static byte[] prefixed(int type, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Restored from a snapshot: ignore queries older than {@code minTime}, report accepted ones. */
    void restore(long minTime, java.util.function.LongConsumer accepted) {
        this.minTime = minTime;
        this.accepted = accepted;
    }

    /** Returns whether to re-gossip the query. */
    boolean handleQuery(QueryMessage q) {
        queryClock.witness(q.ltime());
        if (LamportClock.compare(q.ltime(), minTime) < 0) {
            return false;
        }
        int size = seenLTimes.length;
        if (LamportClock.outsideWindow(q.ltime(), queryClock.time(), size)) {
            return false;
        }
        int idx = (int) Long.remainderUnsigned(q.ltime(), size);
        if (seenLTimes[idx] == q.ltime()) {
            if (!seenIds.get(idx).add(q.id())) {
                return false;
            }
        } else {
            seenLTimes[idx] = q.ltime();
            Set<Integer> ids = new HashSet<>();
            ids.add(q.id());
            seenIds.set(idx, ids);
        }
        boolean rebroadcast = !q.noBroadcast();
        if (!passesFilters(q.filters())) {
            return rebroadcast;
        }
        InetAddress addr = IpAddresses.toInet(q.addr());
        if (addr == null) {
            stats.drop(DropReason.BAD_ADDRESS);
            return rebroadcast;
        }
        InetSocketAddress origin = new InetSocketAddress(addr, q.port());
        if (q.ackRequested()) {
            QueryResponseMessage ack = new QueryResponseMessage(q.ltime(), q.id(), localName,
                    QueryResponseMessage.FLAG_ACK, null);
            sendResponse(q, origin, ack.encode());
        }
        accepted.accept(q.ltime());
        long deadline = scheduler.nanoTime() + Math.max(0, q.timeoutNanos());
        Query query = new Query(q.ltime(), q.id(), q.name(), q.payload(), q.sourceNode(), deadline,
                scheduler::nanoTime, (qq, payload) -> respond(q, origin, payload));
        if (q.name().startsWith(INTERNAL_PREFIX)) {
            internal(query);
        } else {
            emit.accept(query);
        }
        return rebroadcast;
    }

    /** Called from any thread through {@link Query#respond}: hop onto the node's thread. */
    private void respond(QueryMessage q, InetSocketAddress origin, byte[] payload) {
        QueryResponseMessage resp = new QueryResponseMessage(q.ltime(), q.id(), localName, 0,
                payload == null ? new byte[0] : payload);
        byte[] raw = resp.encode();
        if (raw.length > timings.queryResponseSizeLimit()) {
            throw new IllegalArgumentException("Response to query '" + q.name() + "' is " + raw.length
                    + " bytes encoded; the limit is " + timings.queryResponseSizeLimit());
        }
        scheduler.execute(() -> sendResponse(q, origin, raw));
    }

    /** Sends an encoded response (or ack) to the originator, and through relays if asked. */
    private void sendResponse(QueryMessage q, InetSocketAddress origin, byte[] raw) {
        if (shutdown.getAsBoolean()) {
            return;
        }
        memberlist.get().sendToAddress(origin, raw);
        relay(q, origin, raw);
    }

    /**
     * Serf protocol 5: also send the response through random members, in case the direct path is
     * lossy. As serf query.go:relayResponse: worth it only with RelayFactor + 1 members of any
     * status (us included); then up to RelayFactor alive protocol-5 others, fewer when fewer
     * qualify (kRandomMembers); and not at all if the relay message is over the response limit.
     */
    private void relay(QueryMessage q, InetSocketAddress origin, byte[] raw) {
        int factor = q.relayFactor();
        if (factor == 0 || members.memberCount() < factor + 1) {
            return;
        }
        byte[] msg = new RelayHeader(origin.getAddress().getAddress(), origin.getPort(), q.sourceNode())
                .encode(raw);
        if (msg.length > timings.queryResponseSizeLimit()) {
            log.debug("Not relaying the response to query '{}': {} bytes exceed the response limit",
                    q.name(), msg.length);
            return;
        }
        List<MemberState> candidates = members.aliveOthers();
        candidates.removeIf(m -> m.vsn == null || m.vsn.length < 2 || (m.vsn[1] & 0xff) < 5);
        Collections.shuffle(candidates, new java.util.Random(random.nextLong()));
        for (MemberState m : candidates.subList(0, Math.min(factor, candidates.size()))) {
            memberlist.get().sendToAddress(new InetSocketAddress(m.addr, m.port), msg);
        }
    }

    /** @param source where the response came from (null: unknown) */
    void handleResponse(QueryResponseMessage r, InetSocketAddress source) {
        Pending p = pending.get(r.ltime());
        if (p == null || p.id() != r.id()) {
            return;
        }
        // Only members answer; anyone can put any name in From, but an invented one stops here.
        MemberState member = members.memberState(r.from());
        if (member == null) {
            stats.drop(DropReason.QUERY_RESPONSE_UNKNOWN_NODE);
            return;
        }
        // A forged response in a real member's name would take that member's one slot, so where
        // it matters (conflict votes) only the member's own address may answer for it.
        if (p.direct() && (source == null || !source.getAddress().equals(member.addr))) {
            stats.drop(DropReason.CONFLICT_VOTE_WRONG_SOURCE);
            return;
        }
        Set<String> seen = r.isAck() ? p.acked() : p.responded();
        if (seen.contains(r.from())) {
            return;
        }
        if (seen.size() >= p.limit()) {
            stats.drop(DropReason.QUERY_RESPONSE_EXCESS);
            return;
        }
        seen.add(r.from());
        if (r.isAck()) {
            p.feed().ack(r.from());
        } else {
            p.feed().respond(r.from(), r.payload() == null ? new byte[0] : r.payload());
        }
    }

    // ---- filters ----

    private boolean passesFilters(List<byte[]> filters) {
        if (filters == null) {
            return true;
        }
        for (byte[] f : filters) {
            if (f == null || f.length == 0) {
                return false;
            }
            try {
                MsgReader r = new MsgReader(f, 1, f.length - 1);
                switch (f[0]) {
                    case FILTER_NODES -> {
                        if (!r.stringList().contains(localName)) {
                            return false;
                        }
                    }
                    case FILTER_TAG -> {
                        String tag = "";
                        String expr = "";
                        int n = r.map();
                        for (int i = 0; i < n; i++) {
                            switch (r.str()) {
                                case "Tag" -> tag = r.str();
                                case "Expr" -> expr = r.str();
                                default -> r.skip();
                            }
                        }
                        // serf.go:shouldProcessQuery: a tag we lack matches as "".
                        String value = tag == null ? "" : tags.get().getOrDefault(tag, "");
                        if (!matches(expr, value)) {
                            return false;
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            } catch (MalformedMessageException e) {
                stats.drop(DropReason.QUERY_FILTER);
                return false;
            }
        }
        return true;
    }

    /** Unanchored match like Go's regexp.MatchString, with a step budget against runaway patterns. */
    static boolean matches(String expr, String value) {
        if (expr.length() > MAX_REGEX_LENGTH) {
            return false;
        }
        try {
            return Pattern.compile(expr).matcher(new BudgetedChars(value, REGEX_STEP_BUDGET)).find();
        } catch (PatternSyntaxException | BudgetedChars.Exhausted e) {
            return false;
        }
    }

    /** A CharSequence that gives up after a number of reads: bounds backtracking. */
    private static final class BudgetedChars implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String s;
        private final int[] budget;

        BudgetedChars(String s, int budget) {
            this(s, new int[] {budget});
        }

        private BudgetedChars(String s, int[] budget) {
            this.s = s;
            this.budget = budget;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new Exhausted();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(s.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    // ---- internal queries (§7.9) ----

    private void internal(Query q) {
        switch (q.name()) {
            case "_serf_ping" -> { }
            case "_serf_conflict" -> answerConflict(q);
            case "_serf_list-keys" -> answerKeys(q, null);
            case "_serf_install-key", "_serf_use-key", "_serf_remove-key" -> answerKeys(q, q.name());
            default -> log.debug("Ignoring unknown internal query {}", q.name());
        }
    }

    private void answerConflict(Query q) {
        String name = new String(q.payload(), StandardCharsets.UTF_8);
        if (name.equals(localName)) {
            return; // the contested node does not vote
        }
        MemberState m = members.memberState(name);
        MsgWriter w = new MsgWriter().rawByte(SerfMessageType.CONFLICT_RESPONSE);
        if (m == null) {
            w.nil();
        } else {
            byte[] v = m.vsn != null && m.vsn.length >= 6 ? m.vsn : new byte[6];
            w.map(11).str("Addr").raw(m.addr.getAddress())
                    .str("DelegateCur").uint(v[5] & 0xff).str("DelegateMax").uint(v[4] & 0xff)
                    .str("DelegateMin").uint(v[3] & 0xff).str("Name").str(m.name).str("Port").uint(m.port)
                    .str("ProtocolCur").uint(v[2] & 0xff).str("ProtocolMax").uint(v[1] & 0xff)
                    .str("ProtocolMin").uint(v[0] & 0xff).str("Status").uint(m.status.wire())
                    .str("Tags").stringMap(m.tags);
        }
        q.respond(w.toByteArray());
    }

    /**
     * Asks everyone who owns our name; if most say "someone else", we step down (§7.10).
     * serf.go:resolveNodeConflict stays only when matching ≥ responses / 2 + 1; we count
     * differently:
     * <ul>
     *   <li>only members that were alive when we asked (other than ourselves) get a vote, so a
     *       flood of responses from invented or newly forged names cannot out-vote the cluster;
     *   <li>one vote per host (the voter's IP as we know it): members are cheap to invent in an
     *       unencrypted cluster, hosts are not, so sybils on one machine count once;
     *   <li>no answer is no verdict: Go steps down when nobody answers (0 ≥ 0/2 + 1 fails), so
     *       an impostor who also floods us until the answers are lost wins by default;
     *   <li>we step down only when a strict majority of hosts names someone else: a tie (an
     *       attacker's one host against a cluster on one host) keeps the working node up.
     * </ul>
     */
    void resolveConflict() {
        InetSocketAddress self = memberlist.get().self().address();
        Map<String, InetAddress> voters = new HashMap<>();
        members.aliveOthers().forEach(m -> voters.put(m.name, m.addr));
        // Votes must come from the voter's own address: relayed copies (none at relay factor 0)
        // and forgeries in a member's name are dropped, and the member's own vote still counts.
        QueryHandle h = send("_serf_conflict", localName.getBytes(StandardCharsets.UTF_8),
                QueryParams.defaults(), true);
        h.finished().thenRun(() -> scheduler.execute(() -> {
            Set<InetAddress> voted = new HashSet<>();
            int responses = 0;
            int matching = 0;
            for (QueryHandle.Response r : h.responses()) {
                byte[] p = r.payload();
                InetAddress host = voters.get(r.from());
                if (host == null) {
                    stats.drop(DropReason.CONFLICT_VOTE_NOT_A_VOTER);
                    continue;
                }
                if (p.length == 0 || p[0] != SerfMessageType.CONFLICT_RESPONSE) {
                    continue;
                }
                if (!voted.add(host)) {
                    stats.drop(DropReason.CONFLICT_VOTE_SAME_HOST);
                    continue;
                }
                responses++;
                if (claimsUs(p, self)) {
                    matching++;
                }
            }
            int against = responses - matching;
            if (responses == 0) {
                log.warn("Name conflict for '{}' unresolved: no member answered; staying up",
                        localName);
            } else if (against * 2 <= responses) {
                log.info("Name conflict for '{}' resolved in our favour ({} of {} hosts)",
                        localName, matching, responses);
            } else {
                log.error("Name conflict for '{}' resolved against us ({} of {} hosts); shutting down."
                        + " Give every node a unique name.", localName, matching, responses);
                onConflictLost.run();
            }
        }));
    }

    private static boolean claimsUs(byte[] payload, InetSocketAddress self) {
        try {
            MsgReader r = new MsgReader(payload, 1, payload.length - 1);
            if (r.tryNil()) {
                return false;
            }
            byte[] addr = null;
            long port = 0;
            int n = r.map();
            for (int i = 0; i < n; i++) {
                switch (r.str()) {
                    case "Addr" -> addr = r.bytes();
                    case "Port" -> port = r.integer();
                    default -> r.skip();
                }
            }
            return addr != null && Arrays.equals(addr, self.getAddress().getAddress()) && port == self.getPort();
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    private void answerKeys(Query q, String change) {
        Keyring ring = keyring.get();
        boolean result = false;
        String message = "";
        List<String> keys = List.of();
        String primary = "";
        if (ring == null) {
            message = change == null ? "Keyring is empty (encryption not enabled)"
                    : "No keyring to modify (encryption not enabled)";
        } else {
            try {
                if (change != null) {
                    byte[] key = requestedKey(q.payload());
                    ring = switch (change) {
                        case "_serf_install-key" -> ring.withKey(key);
                        case "_serf_use-key" -> ring.withPrimary(key);
                        default -> ring.without(key);
                    };
                    keyring.set(ring);
                }
                keys = ring.base64Keys();
                primary = Base64.getEncoder().encodeToString(ring.primaryKey());
                result = true;
            } catch (IllegalArgumentException | MalformedMessageException e) {
                message = e.getMessage();
            }
        }
        for (int n = keys.size(); n >= 0; n--) {
            byte[] resp = new MsgWriter().rawByte(SerfMessageType.KEY_RESPONSE).map(4)
                    .str("Keys").stringList(keys.subList(0, n)).str("Message").str(message)
                    .str("PrimaryKey").str(primary).str("Result").bool(result).toByteArray();
            if (resp.length + 64 <= timings.queryResponseSizeLimit() || n == 0) {
                q.respond(resp);
                return;
            }
            message = "Key list truncated to fit the response size limit";
        }
    }

    private static byte[] requestedKey(byte[] payload) throws MalformedMessageException {
        if (payload.length == 0 || payload[0] != SerfMessageType.KEY_REQUEST) {
            throw new MalformedMessageException(DropReason.KEY_REQUEST, "not a key request");
        }
        MsgReader r = new MsgReader(payload, 1, payload.length - 1);
        byte[] key = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            if (r.str().equals("Key")) {
                key = r.bytes();
            } else {
                r.skip();
            }
        }
        if (key == null || key.length == 0) {
            throw new MalformedMessageException(DropReason.KEY_REQUEST, "no key given");
        }
        return key;
    }
}
