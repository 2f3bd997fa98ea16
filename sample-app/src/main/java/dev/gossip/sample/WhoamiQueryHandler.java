package dev.gossip.sample;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.messaging.GossipQuery;
import dev.gossip.spring.messaging.GossipQueryHandler;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers {@code serf query whoami} with this node's name, service, HTTP port, version and last
 * deploy, as JSON: one command tells an operator what runs where (Serf answers must stay under
 * 1024 bytes, so this stays small).
 */
@Component
public class WhoamiQueryHandler implements GossipQueryHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Absent with discovery off (as in tests): then nobody asks. */
    private final ObjectProvider<GossipNode> node;
    private final Environment env;
    private final DeployLog deploys;

    public WhoamiQueryHandler(ObjectProvider<GossipNode> node, Environment env, DeployLog deploys) {
        this.node = node;
        this.env = env;
        this.deploys = deploys;
    }

    @Override
    public String queryName() {
        return "whoami";
    }

    @Override
    public byte[] respond(GossipQuery query) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("node", node.getObject().name());
        me.put("service", env.getProperty("spring.application.name"));
        me.put("port", env.getProperty("local.server.port", Integer.class));
        me.put("zone", env.getProperty("spring.cloud.gossip.discovery.zone"));
        String version = SampleApplication.class.getPackage().getImplementationVersion();
        me.put("version", version != null ? version : "dev");
        me.put("lastDeploy", deploys.lastDeploy());
        return JSON.writeValueAsString(me).getBytes(StandardCharsets.UTF_8);
    }
}
