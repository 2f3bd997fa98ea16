package dev.gossip.spring.catalog;

import static dev.gossip.spring.discovery.TestMembers.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.Member;
import dev.gossip.spring.discovery.ServiceIndex;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The watch stream's frames as the web layer writes them: with a keep-alive timer restarted by
 * every event, a slow, blocking writer (a servlet's) is never interrupted and misses no event.
 */
class CatalogStreamTest {

    @Test
    void keepAliveTimersNeverInterruptABlockingWrite() throws InterruptedException {
        List<Member> members = new CopyOnWriteArrayList<>();
        ServiceIndex index = new ServiceIndex(() -> List.copyOf(members), Set.of("UP"));
        CatalogFeed feed = new CatalogFeed(index, 10, 10_000);
        CatalogApi api = new CatalogApi(feed, "/gossip/catalog", Duration.ofMillis(1));
        AtomicInteger interrupted = new AtomicInteger();
        List<CatalogApi.Frame> written = new CopyOnWriteArrayList<>();
        Disposable stream = api.watch(List.of()).frames().subscribe(frame -> {
            try {
                Thread.sleep(1); // a blocking write, as long as the keep-alive interval
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            written.add(frame);
        });
        try {
            for (int i = 0; i < 100; i++) {
                members.add(service("m-" + i, i, "svc", 8000 + i));
                index.rebuild();
                Thread.sleep(i % 2); // events now back to back, now a keep-alive apart
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> written.stream().filter(f -> "service".equals(f.event())).count() == 100);
            assertThat(interrupted).hasValue(0);
            assertThat(written.get(0).event()).isEqualTo("snapshot");
            assertThat(written).anyMatch(CatalogApi.Frame::isKeepAlive);
            assertThat(written.stream().filter(f -> !f.isKeepAlive()).map(CatalogApi.Frame::id).toList()).isSorted();
        } finally {
            stream.dispose();
            feed.close();
        }
    }
}
