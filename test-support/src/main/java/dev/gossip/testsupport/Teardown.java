package dev.gossip.testsupport;

import dev.gossip.core.GossipNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Closes apps, all at once: each graceful leave and drain takes seconds. */
public final class Teardown {

    private Teardown() {}

    /**
     * Graceful close of apps whose peers stay: they leave, drain and stop. Nulls and already closed
     * contexts are skipped; waits at most 30 s.
     */
    public static void closeAll(ConfigurableApplicationContext... contexts) {
        inParallel(contexts, SpringApplication::exit);
    }

    /**
     * Close at the end of a test, when every member goes: gossip nodes stop without a leave (there
     * is nobody left to tell) and the contexts close. Members leaving all at once would each wait
     * for Serf's broadcast timeout (5 s), their peers being gone before the leave is sent.
     */
    public static void discardAll(ConfigurableApplicationContext... contexts) {
        inParallel(contexts, c -> {
            c.getBeanProvider(GossipNode.class).ifAvailable(GossipNode::shutdown);
            SpringApplication.exit(c);
        });
    }

    private static void inParallel(ConfigurableApplicationContext[] contexts,
                                   Consumer<ConfigurableApplicationContext> close) {
        List<Thread> threads = new ArrayList<>();
        for (ConfigurableApplicationContext c : contexts) {
            if (c != null && c.isActive()) {
                Thread t = new Thread(() -> close.accept(c), "close-" + c.getId());
                t.start();
                threads.add(t);
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes one app gracefully and returns how long it took, in ms. */
    public static long close(ConfigurableApplicationContext ctx) {
        long start = System.nanoTime();
        SpringApplication.exit(ctx);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
