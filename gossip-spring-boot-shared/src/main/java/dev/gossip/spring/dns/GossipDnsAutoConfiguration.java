package dev.gossip.spring.dns;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.support.GossipStartupException;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DNS responder over the node's service index, when spring.cloud.gossip.dns.enabled=true. */
@AutoConfiguration(after = GossipAutoConfiguration.class)
@ConditionalOnProperty(prefix = GossipProperties.PREFIX + ".dns", name = "enabled", havingValue = "true")
@ConditionalOnBean({ServiceIndex.class, GossipNode.class})
public class GossipDnsAutoConfiguration {

    static final String ADDRESS = GossipProperties.PREFIX + ".dns.address";
    static final String DOMAIN = GossipProperties.PREFIX + ".dns.domain";

    /** Bound while the context refreshes, so a taken port fails the start; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public DnsResponder gossipDnsResponder(ServiceIndex index, GossipNode node, GossipProperties properties) {
        GossipProperties.Dns dns = properties.getDns();
        InetSocketAddress address = DnsSettings.address(dns.getAddress());
        DnsAnswerer answerer = new DnsAnswerer(index, members(node), DnsSettings.domain(dns.getDomain()),
                dns.getTtl().toSeconds());
        try {
            return DnsResponder.start(address, answerer);
        } catch (SocketException e) {
            throw new GossipStartupException(ADDRESS, "Cannot answer DNS on " + dns.getAddress() + ": " + e.getMessage(),
                    "Set " + ADDRESS + " to a free host:port of this host (port 0 picks one), or set "
                            + GossipProperties.PREFIX + ".dns.enabled=false", e);
        }
    }

    /** A member by name: exactly as spelt first, else ignoring case (DNS names are case-insensitive). */
    private static Function<String, Optional<Member>> members(GossipNode node) {
        return name -> node.member(name)
                .or(() -> node.members().stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        DnsMetrics gossipDnsMetrics(DnsResponder responder) {
            return new DnsMetrics(responder);
        }
    }
}
