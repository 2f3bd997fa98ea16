package dev.gossip.spring.loadbalancer;

import java.util.List;
import org.springframework.beans.factory.BeanFactoryUtils;
import java.util.Locale;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.cloud.loadbalancer.support.LoadBalancerEnvironmentPropertyUtils;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The values of {@code spring.cloud.loadbalancer.configurations} (globally or per client under
 * {@code spring.cloud.loadbalancer.clients.<id>.configurations}), applied with Spring Cloud
 * LoadBalancer's own builder steps, as its {@code LoadBalancerClientConfiguration} applies them,
 * but over the gossip base instead of a DiscoveryClient and without the TTL cache: gossip pushes
 * every change, so a cache would only serve stale lists.
 */
enum LoadBalancerPreset {

    /** No decoration; the zone is still preferred when one is known (gossip's default). */
    DEFAULT("default"),
    ZONE_PREFERENCE("zone-preference"),
    HEALTH_CHECK("health-check"),
    REQUEST_BASED_STICKY_SESSION("request-based-sticky-session"),
    SAME_INSTANCE_PREFERENCE("same-instance-preference"),
    WEIGHTED("weighted"),
    SUBSET("subset"),
    API_VERSION("api-version");

    static final String PROPERTY = "spring.cloud.loadbalancer.configurations";

    private final String value;

    LoadBalancerPreset(String value) {
        this.value = value;
    }

    /** The preset this client's environment selects. */
    static LoadBalancerPreset of(org.springframework.core.env.Environment env) {
        for (LoadBalancerPreset p : values()) {
            boolean selected = p == DEFAULT
                    ? LoadBalancerEnvironmentPropertyUtils.equalToOrMissingForClientOrDefault(env, "configurations", p.value)
                    : LoadBalancerEnvironmentPropertyUtils.equalToForClientOrDefault(env, "configurations", p.value);
            if (selected) {
                return p;
            }
        }
        String value = env.getProperty("spring.cloud.loadbalancer.clients."
                + env.getProperty("loadbalancer.client.name") + ".configurations", env.getProperty(PROPERTY, ""));
        throw new IllegalStateException("Unknown " + PROPERTY + " value '" + value + "': use one of "
                + List.of(values()).stream().map(p -> p.value).toList());
    }

    /**
     * Adds this preset's steps.
     *
     * @param reactive Spring Cloud would use its reactive chain (a ReactiveDiscoveryClient exists)
     */
    void decorate(ServiceInstanceListSupplierBuilder builder, ConfigurableApplicationContext context, boolean reactive) {
        switch (this) {
            case DEFAULT -> {
                LoadBalancerZoneConfig zone = context.getBeanProvider(LoadBalancerZoneConfig.class).getIfAvailable();
                if (zone != null && zone.getZone() != null && !zone.getZone().isBlank()) {
                    builder.withZonePreference();
                }
            }
            case ZONE_PREFERENCE -> builder.withZonePreference();
            case HEALTH_CHECK -> healthChecks(builder, context, reactive);
            case REQUEST_BASED_STICKY_SESSION -> builder.withRequestBasedStickySession();
            case SAME_INSTANCE_PREFERENCE -> builder.withSameInstancePreference();
            case WEIGHTED -> builder.withWeighted();
            case SUBSET -> builder.withSubset();
            case API_VERSION -> ApiVersioning.ofBootLine().apply(builder, reactive);
        }
    }

    /** As Spring Cloud picks them: WebClient.Builder (reactive), else a RestTemplate, else a RestClient bean. */
    private static void healthChecks(ServiceInstanceListSupplierBuilder builder, ConfigurableApplicationContext context,
                                     boolean reactive) {
        if (reactive && has(context, "org.springframework.web.reactive.function.client.WebClient$Builder")) {
            builder.withHealthChecks();
        } else if (has(context, "org.springframework.web.client.RestTemplate")) {
            builder.withBlockingHealthChecks();
        } else if (has(context, "org.springframework.web.client.RestClient")) {
            builder.withBlockingRestClientHealthChecks();
        } else {
            throw new IllegalStateException(PROPERTY + "=health-check needs a WebClient.Builder, RestTemplate or"
                    + " RestClient bean to probe instances with; declare one, or choose another configuration");
        }
    }

    private static boolean has(ConfigurableApplicationContext context, String type) {
        try {
            Class<?> c = Class.forName(type, false, LoadBalancerPreset.class.getClassLoader());
            return BeanFactoryUtils.beanNamesForTypeIncludingAncestors(context, c, true, false).length > 0;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value.toLowerCase(Locale.ROOT);
    }
}
