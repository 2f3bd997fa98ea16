package dev.gossip.spring.discovery;

import dev.gossip.core.GossipNode;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Spring Cloud's {@link DiscoveryClient} over the gossip member list: every read is a map lookup. */
public class GossipDiscoveryClient implements DiscoveryClient {

    public static final String DESCRIPTION = "Spring Cloud Gossip Discovery Client";

    private final ServiceIndex index;
    private final DiscoverySource source;
    private final int order;

    public GossipDiscoveryClient(ServiceIndex index, GossipNode node, int order) {
        this(index, DiscoverySource.of(node), order);
    }

    public GossipDiscoveryClient(ServiceIndex index, DiscoverySource source, int order) {
        this.index = index;
        this.source = source;
        this.order = order;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return index.instances(serviceId);
    }

    @Override
    public List<String> getServices() {
        return index.services();
    }

    @Override
    public void probe() {
        source.probe();
    }

    @Override
    public int getOrder() {
        return order;
    }
}
