package dev.gossip.benchmarks;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Member;
import dev.gossip.spring.discovery.ServiceIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The service index through a join storm: 2000 members join one after the other (20 services of
 * 100 instances), each a member-join event, as a node sees a whole fleet redeployed. Per member
 * event: {@code applyEvents} is what the index does now (it changes the one service the member is
 * in); {@code rebuildPerEvent} is what it did before (re-read every member on every event, so the
 * storm costs O(N²)). Run with {@code -prof gc} for the allocation per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ServiceIndexBenchmark {

    static final int MEMBERS = 2000;

    @Param("20")
    int services;

    List<Member> view;
    List<GossipEvent.MemberEvent> joins;
    ServiceIndex index;
    /** What the member list holds so far, for the rebuild baseline. */
    List<Member> joined;

    @Setup(Level.Trial)
    public void setUp() {
        view = GetInstancesBenchmark.view(MEMBERS, services);
        joins = new ArrayList<>(MEMBERS);
        for (Member m : view) {
            joins.add(new GossipEvent.MemberEvent(GossipEvent.MemberEventType.JOIN, List.of(m)));
        }
    }

    /** A fresh, empty index before every storm. */
    @Setup(Level.Invocation)
    public void empty() {
        joined = new ArrayList<>(MEMBERS);
        List<Member> members = joined;
        index = new ServiceIndex(() -> members, Set.of("UP"));
    }

    @Benchmark
    @OperationsPerInvocation(MEMBERS)
    public ServiceIndex applyEvents() {
        for (GossipEvent.MemberEvent e : joins) {
            index.onEvent(e);
        }
        return check(index);
    }

    @Benchmark
    @OperationsPerInvocation(MEMBERS)
    public ServiceIndex rebuildPerEvent() {
        for (Member m : view) {
            joined.add(m);
            index.rebuild();
        }
        return check(index);
    }

    private ServiceIndex check(ServiceIndex idx) {
        if (idx.instances("svc-7").size() != MEMBERS / services) {
            throw new IllegalStateException("the storm did not reach the index");
        }
        return idx;
    }
}
