package dev.gossip.spring.client;

import java.net.URI;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether this application is a gossip member (the default) or a thin client that watches
 * catalogs ({@code spring.cloud.gossip.client.catalog-urls} set): never both.
 */
public final class GossipMode {

    private static final String URLS = GossipClientProperties.PREFIX + ".catalog-urls";

    private GossipMode() {}

    static boolean thinClient(ConditionContext context) {
        return !Binder.get(context.getEnvironment()).bind(URLS, Bindable.listOf(URI.class)).orElse(List.of()).isEmpty();
    }

    /** Thin client mode: catalog URLs are set. */
    public static final class Client extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return thinClient(context) ? ConditionOutcome.match(URLS + " is set: thin client mode")
                    : ConditionOutcome.noMatch(URLS + " is not set: a gossip member");
        }
    }

    /** Member mode: no catalog URLs, so this application runs a gossip node. */
    public static final class Member extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return thinClient(context) ? ConditionOutcome.noMatch(URLS + " is set: a thin client runs no gossip node")
                    : ConditionOutcome.match(URLS + " is not set: a gossip member");
        }
    }
}
