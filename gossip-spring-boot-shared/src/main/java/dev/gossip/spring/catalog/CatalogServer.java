package dev.gossip.spring.catalog;

import dev.gossip.spring.GossipProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Which web server serves the catalog, decided as Boot decides it for actuator endpoints: with
 * {@code server=management}, the management server when it has a port of its own, the
 * application's when they share one, none when management over HTTP is off.
 */
enum CatalogServer {
    APPLICATION, MANAGEMENT, NONE;

    /** Matches when the application's server serves the catalog (routes in the main context). */
    static final class OnApplicationServer extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            CatalogServer server = of(context.getEnvironment());
            return new ConditionOutcome(server == APPLICATION, "the catalog is served by: " + server);
        }
    }

    private static final String ACTUATOR = "org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType";

    static CatalogServer of(Environment env) {
        GossipProperties.CatalogServer configured = Binder.get(env)
                .bind(GossipProperties.PREFIX + ".catalog.server", GossipProperties.CatalogServer.class)
                .orElse(GossipProperties.CatalogServer.APPLICATION);
        if (configured != GossipProperties.CatalogServer.MANAGEMENT
                || !ClassUtils.isPresent(ACTUATOR, CatalogServer.class.getClassLoader())) {
            return APPLICATION;
        }
        return Actuator.server(env);
    }

    /** Loaded only when the actuator is on the class path. */
    private static final class Actuator {
        static CatalogServer server(Environment env) {
            return switch (ManagementPortType.get(env)) {
                case SAME -> APPLICATION;
                case DIFFERENT -> MANAGEMENT;
                case DISABLED -> NONE;
            };
        }
    }
}
