package dev.gossip.spring.discovery;

import java.util.Set;

/**
 * Tag keys the starter writes on each node. They are plain Serf tags, so {@code serf members}
 * shows them; everything else in the tags is user metadata.
 */
public final class ServiceTags {

    /** The service id (spring.application.name by default). */
    public static final String SERVICE = "service";
    /** The instance id. */
    public static final String INSTANCE = "instance";
    /** HTTP host, when it differs from the gossip address. */
    public static final String HOST = "host";
    /** HTTP port. */
    public static final String PORT = "port";
    /** "true" when the instance serves HTTPS. */
    public static final String SECURE = "secure";
    /** UP, OUT_OF_SERVICE or DOWN. */
    public static final String STATUS = "status";
    /** Availability zone, for zone-preferring load balancing. */
    public static final String ZONE = "zone";

    // Spring Boot Admin's keys (its DefaultServiceInstanceConverter), Eureka's management.port too.
    /** Management (actuator) port, when it differs from the HTTP port. */
    public static final String MANAGEMENT_PORT = "management.port";
    /** Path of the actuator root on the management port, e.g. /actuator or /g/actuator. */
    public static final String MANAGEMENT_CONTEXT_PATH = "management.context-path";
    /** https when the management server alone serves HTTPS. */
    public static final String MANAGEMENT_SCHEME = "management.scheme";
    /** Path of the health endpoint below the actuator root. */
    public static final String HEALTH_PATH = "health.path";
    /** Base URL of the catalog API this member serves (docs/catalog.md); absent when it serves none. */
    public static final String CATALOG = "catalog";

    public static final String UP = "UP";
    public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";
    public static final String DOWN = "DOWN";

    /** Keys whose value only the starter sets: a user's metadata may not carry them. */
    private static final Set<String> RESERVED = Set.of(SERVICE, INSTANCE, HOST, PORT, SECURE, STATUS, ZONE);

    private ServiceTags() {}

    /** Whether {@code key} is one the starter owns rather than user metadata. */
    public static boolean isReserved(String key) {
        return RESERVED.contains(key);
    }

    /** The reserved keys, for error messages. */
    public static Set<String> reserved() {
        return RESERVED;
    }
}
