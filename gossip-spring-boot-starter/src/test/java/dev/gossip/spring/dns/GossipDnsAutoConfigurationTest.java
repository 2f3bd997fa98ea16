package dev.gossip.spring.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.autoconfigure.StarterContexts;
import dev.gossip.spring.support.GossipStartupException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** spring.cloud.gossip.dns.*: off by default; on, the application answers for its own service. */
class GossipDnsAutoConfigurationTest {

    private final ApplicationContextRunner runner = StarterContexts.runner();

    @Test
    void offByDefault() {
        runner.run(ctx -> assertThat(ctx).hasSingleBean(GossipNode.class).doesNotHaveBean(DnsResponder.class));
    }

    @Test
    void answersSrvForItsOwnServiceAndStopsWithTheContext() {
        DnsResponder[] kept = new DnsResponder[1];
        runner.withPropertyValues("spring.cloud.gossip.dns.enabled=true", "spring.cloud.gossip.dns.address=127.0.0.1:0",
                "spring.cloud.gossip.dns.domain=Cluster.Internal.", "spring.cloud.gossip.dns.ttl=7s",
                "spring.cloud.gossip.discovery.port=8080").run(ctx -> {
                    AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                    DnsResponder responder = ctx.getBean(DnsResponder.class);
                    kept[0] = responder;
                    assertThat(responder.address().getAddress().isLoopbackAddress()).isTrue();
                    SimpleResolver resolver = new SimpleResolver(responder.address());
                    resolver.setTimeout(Duration.ofSeconds(2));
                    Message query = Message.newQuery(Record.newRecord(
                            Name.fromString("orders.service.cluster.internal."), Type.SRV, DClass.IN));
                    String node = ctx.getBean(GossipNode.class).name();
                    await().atMost(Duration.ofSeconds(5)).until(() -> !resolver.send(query).getSection(Section.ANSWER).isEmpty());
                    Message m = resolver.send(query);
                    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
                    List<Record> answers = m.getSection(Section.ANSWER);
                    assertThat(answers).singleElement().satisfies(r -> {
                        assertThat(((SRVRecord) r).getPort()).isEqualTo(8080);
                        assertThat(((SRVRecord) r).getTarget().toString()).isEqualTo(node + ".node.cluster.internal.");
                        assertThat(r.getTTL()).isEqualTo(7);
                    });
                    assertThat(m.getSection(Section.ADDITIONAL).get(0).rdataToString()).isEqualTo("127.0.0.1");

                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    ctx.getBean(DnsMetrics.class).bindTo(registry);
                    assertThat(registry.get("gossip.dns.responses").tag("rcode", "NOERROR").functionCounter().count())
                            .isPositive();
                    assertThat(registry.get("gossip.dns.dropped").tag("reason", "short").functionCounter().count()).isZero();
                });
        assertThat(kept[0].isRunning()).as("thread ended with the context").isFalse();
    }

    @Test
    void aTakenPortFailsTheStartNamingTheProperty() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues("spring.cloud.gossip.dns.enabled=true",
                    "spring.cloud.gossip.dns.address=127.0.0.1:" + taken.getLocalPort()).run(ctx -> {
                        assertThat(ctx).hasFailed();
                        assertThat(startupException(ctx.getStartupFailure()).getProperty())
                                .isEqualTo("spring.cloud.gossip.dns.address");
                    });
        }
    }

    @Test
    void aBadDomainFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("spring.cloud.gossip.dns.enabled=true", "spring.cloud.gossip.dns.address=127.0.0.1:0",
                "spring.cloud.gossip.dns.domain=bad..domain").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(startupException(ctx.getStartupFailure()).getProperty())
                            .isEqualTo("spring.cloud.gossip.dns.domain");
                });
    }

    private static GossipStartupException startupException(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof GossipStartupException)) {
            t = t.getCause();
        }
        assertThat(t).as("a GossipStartupException in %s", failure).isInstanceOf(GossipStartupException.class);
        return (GossipStartupException) t;
    }
}
