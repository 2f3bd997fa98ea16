package dev.gossip.spring.loadbalancer;

import java.util.List;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The {@code api-version} step of {@code spring.cloud.loadbalancer.configurations}: API versions
 * exist from Spring Framework 7 (Boot 4) on, so each Boot line's starter provides this step in its
 * {@code META-INF/spring.factories} under this interface's name.
 */
public interface ApiVersioning {

    /**
     * Adds the API-version filter to the chain, or fails naming the property when the line has none.
     *
     * @param reactive Spring Cloud would use its reactive chain
     */
    void apply(ServiceInstanceListSupplierBuilder builder, boolean reactive);

    /** The one the Boot line's starter registers. */
    static ApiVersioning ofBootLine() {
        List<ApiVersioning> found = SpringFactoriesLoader.forDefaultResourceLocation(ApiVersioning.class.getClassLoader())
                .load(ApiVersioning.class);
        if (found.size() != 1) {
            throw new IllegalStateException(LoadBalancerPreset.PROPERTY + "=api-version needs exactly one "
                    + ApiVersioning.class.getName() + " in META-INF/spring.factories, found " + found.size()
                    + ": depend on gossip-spring-boot-starter (Boot 4) or gossip-spring-boot3-starter (Boot 3.5),"
                    + " not on gossip-spring-boot-shared alone nor on both");
        }
        return found.get(0);
    }
}
