package dev.gossip.spring.catalog;

import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.serviceregistry.ManagementMetadata;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * The {@code catalog} tag: the catalog's base URL, so thin clients find every catalog from any
 * one. Absent until the serving web server's port is known, and left out by the registry when it
 * would not fit in Serf's tag limit.
 */
final class CatalogTag implements GossipServiceRegistry.OptionalTags {

    private final CatalogServer server;
    /** The catalog's path below the server's root, with the servlet context path or base path in front. */
    private final String path;
    /** The management server's scheme when it differs from the application's; else null. */
    private final String managementScheme;

    private CatalogTag(CatalogServer server, String path, String managementScheme) {
        this.server = server;
        this.path = path;
        this.managementScheme = managementScheme;
    }

    static CatalogTag of(CatalogServer server, String catalogPath, Environment env, boolean secure) {
        if (server == CatalogServer.MANAGEMENT) {
            return new CatalogTag(server, ManagementMetadata.join(env.getProperty("management.server.base-path", ""),
                    catalogPath), ManagementMetadata.from(env, secure).scheme());
        }
        String root = env.getProperty("server.servlet.context-path", env.getProperty("spring.webflux.base-path", ""));
        return new CatalogTag(server, ManagementMetadata.join(root, catalogPath), null);
    }

    @Override
    public Map<String, String> tags(GossipRegistration r) {
        Integer port = switch (server) {
            case APPLICATION -> r.getPort();
            case MANAGEMENT -> r.getManagementPort();
            case NONE -> null;
        };
        if (port == null || port <= 0) {
            return Map.of();
        }
        String scheme = managementScheme != null && server == CatalogServer.MANAGEMENT ? managementScheme : r.getScheme();
        String host = r.getHost().contains(":") ? "[" + r.getHost() + "]" : r.getHost();
        return Map.of(ServiceTags.CATALOG, scheme + "://" + host + ":" + port + path);
    }
}
