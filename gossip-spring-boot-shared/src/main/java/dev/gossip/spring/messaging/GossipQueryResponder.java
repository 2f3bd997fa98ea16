package dev.gossip.spring.messaging;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipListener;
import dev.gossip.core.Query;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Answers gossip queries with the {@link GossipQueryHandler} registered for their name. The gossip
 * thread only hands the query to a bounded pool; a watchdog abandons a handler that overruns its
 * timeout (interrupting it), since an answer after the asker's deadline is useless (Serf §7.8:
 * the originator stops collecting at its timeout). Every outcome is counted by {@link QueryOutcome}.
 * Queries with no handler here are ignored, as a Serf agent without a handler for them does.
 */
public class GossipQueryResponder implements GossipListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GossipQueryResponder.class);

    /** Serf's internal queries (serf {@code internal_query.go}): the node answers them itself. */
    static final String INTERNAL_PREFIX = "_serf_";

    private final Map<String, GossipQueryHandler> handlers;
    private final long timeoutNanos;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor watchdog;
    private final Map<QueryOutcome, AtomicLong> outcomes = new EnumMap<>(QueryOutcome.class);

    /**
     * @param handlersByBean the handler beans by bean name (named in the error when two claim one query)
     * @throws IllegalStateException if two handlers claim one name, or one claims an internal or blank name
     */
    public GossipQueryResponder(Map<String, GossipQueryHandler> handlersByBean, Duration timeout, int threads,
                                int queueCapacity) {
        this.handlers = byQueryName(handlersByBean);
        this.timeoutNanos = timeout.toNanos();
        for (QueryOutcome o : QueryOutcome.values()) {
            outcomes.put(o, new AtomicLong());
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> daemon(r, "gossip-query-" + n.incrementAndGet()));
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "gossip-query-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = Executors.defaultThreadFactory().newThread(r);
        t.setName(name);
        t.setDaemon(true);
        return t;
    }

    private static Map<String, GossipQueryHandler> byQueryName(Map<String, GossipQueryHandler> handlersByBean) {
        Map<String, GossipQueryHandler> byName = new TreeMap<>();
        Map<String, String> beanOf = new TreeMap<>();
        handlersByBean.forEach((bean, handler) -> {
            String name = handler.queryName();
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("GossipQueryHandler bean '" + bean + "' has no query name:"
                        + " return the name it answers from queryName()");
            }
            if (name.startsWith(INTERNAL_PREFIX)) {
                throw new IllegalStateException("GossipQueryHandler bean '" + bean + "' claims query '" + name
                        + "', but names starting with " + INTERNAL_PREFIX + " are Serf's internal queries,"
                        + " which the gossip node answers itself: choose another name");
            }
            String other = beanOf.putIfAbsent(name, bean);
            if (other != null) {
                throw new IllegalStateException("GossipQueryHandler beans '" + other + "' and '" + bean
                        + "' both answer query '" + name + "': a node sends one answer per query, so keep"
                        + " one of them (or give it another name)");
            }
            byName.put(name, handler);
        });
        return Map.copyOf(byName);
    }

    /** On the gossip thread: hands the query over, never blocks. */
    @Override
    public void onEvent(GossipEvent event) {
        if (!(event instanceof Query q)) {
            return;
        }
        GossipQueryHandler handler = handlers.get(q.name());
        if (handler == null) {
            return;
        }
        GossipQuery request = new GossipQuery(q.name(), q.payload(), q.sourceNode(), q.ltime());
        AtomicBoolean settled = new AtomicBoolean();
        Future<?> running;
        try {
            running = workers.submit(() -> answer(q, handler, request, settled));
        } catch (RejectedExecutionException e) {
            count(QueryOutcome.BUSY, "Query '{}' from {} left unanswered: all {} handler threads are busy and {}"
                    + " queries wait; raise spring.cloud.gossip.queries.handler-threads or queue-capacity",
                    q.name(), q.sourceNode(), workers.getMaximumPoolSize(), workers.getQueue().size());
            return;
        }
        // The handler timeout, or the asker's deadline if that comes first.
        long budget = Math.min(timeoutNanos, q.remaining().toNanos());
        try {
            watchdog.schedule(() -> {
                if (settled.compareAndSet(false, true)) {
                    running.cancel(true);
                    count(QueryOutcome.TIMEOUT, "Query handler for '{}' from {} overran {} and was abandoned"
                            + " (spring.cloud.gossip.queries.handler-timeout, or the query's own deadline)",
                            q.name(), q.sourceNode(), Duration.ofNanos(budget));
                }
            }, budget, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            running.cancel(true); // shutting down
        }
    }

    private void answer(Query q, GossipQueryHandler handler, GossipQuery request, AtomicBoolean settled) {
        byte[] response;
        try {
            response = handler.respond(request);
        } catch (Exception e) {
            if (settled.compareAndSet(false, true)) {
                outcomes.get(QueryOutcome.ERROR).incrementAndGet();
                log.warn("Query handler {} failed on '{}' from {}; no answer sent", handler, q.name(),
                        q.sourceNode(), e);
            }
            return;
        }
        if (!settled.compareAndSet(false, true)) {
            return; // abandoned by the watchdog
        }
        if (response == null) {
            outcomes.get(QueryOutcome.SILENT).incrementAndGet();
            return;
        }
        try {
            q.respond(response);
            outcomes.get(QueryOutcome.ANSWERED).incrementAndGet();
        } catch (IllegalStateException e) {
            count(QueryOutcome.TIMEOUT, "Answer to query '{}' from {} not sent: {}", q.name(), q.sourceNode(),
                    e.getMessage());
        } catch (IllegalArgumentException e) {
            count(QueryOutcome.ERROR, "Answer to query '{}' from {} not sent: {}; answer with less (a summary,"
                    + " a URL to fetch the rest)", q.name(), q.sourceNode(), e.getMessage());
        }
    }

    /** Counts the outcome and logs it at the 1st, 2nd, 4th, 8th... time, so a storm does not flood the log. */
    private void count(QueryOutcome outcome, String message, Object... args) {
        long n = outcomes.get(outcome).incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn(message + " [" + outcome.tag() + " #" + n + "]", args);
        }
    }

    /** How many received queries ended with {@code outcome}. */
    public long count(QueryOutcome outcome) {
        return outcomes.get(outcome).get();
    }

    /** The query names answered here. */
    public java.util.Set<String> queryNames() {
        return handlers.keySet();
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
        watchdog.shutdownNow();
    }
}
