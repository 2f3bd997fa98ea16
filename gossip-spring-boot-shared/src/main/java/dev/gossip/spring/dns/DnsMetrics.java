package dev.gossip.spring.dns;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code gossip.dns.responses{rcode}} and {@code gossip.dns.dropped{reason}}, every tag value
 * registered from the start: a rising REFUSED or FORMERR count shows clients asking the wrong
 * server or sending garbage, a rising drop count packets that get no answer at all.
 */
public class DnsMetrics implements MeterBinder {

    private final DnsResponder responder;

    public DnsMetrics(DnsResponder responder) {
        this.responder = responder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Dns.Rcode rcode : Dns.Rcode.values()) {
            FunctionCounter.builder("gossip.dns.responses", responder, r -> r.responses(rcode.name()))
                    .tag("rcode", rcode.name()).description("DNS responses sent, by response code")
                    .register(registry);
        }
        for (String reason : DnsResponder.DROP_REASONS) {
            FunctionCounter.builder("gossip.dns.dropped", responder, r -> r.dropped(reason))
                    .tag("reason", reason).description("DNS datagrams left unanswered, by reason")
                    .register(registry);
        }
    }
}
