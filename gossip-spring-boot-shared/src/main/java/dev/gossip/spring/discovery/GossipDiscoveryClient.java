package dev.gossip.spring.discovery;

import dev.gossip.core.GossipNode;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Spring Cloud's {@link DiscoveryClient} over the gossip member list: every read is a map lookup. */
public class GossipDiscoveryClient implements DiscoveryClient {

    public static final String DESCRIPTION = "Spring Cloud Gossip Discovery Client";

    private final ServiceIndex index;
    private final GossipNode node;
    private final int order;

    public GossipDiscoveryClient(ServiceIndex index, GossipNode node, int order) {
        this.index = index;
        this.node = node;
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
        if (!node.isRunning()) {
            throw new IllegalStateException("Gossip node " + node.name() + " is not running");
        }
    }

    @Override
    public int getOrder() {
        return order;
    }
}
