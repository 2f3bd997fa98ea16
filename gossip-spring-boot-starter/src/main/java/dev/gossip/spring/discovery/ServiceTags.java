package dev.gossip.spring.discovery;

/**
 * Tag keys the starter reserves on each node. They are plain Serf tags, so
 * {@code serf members} shows them; everything else in the tags is user metadata.
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
    /** Management (actuator) port, when it differs from the HTTP port. */
    public static final String MANAGEMENT_PORT = "management.port";

    public static final String UP = "UP";
    public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";
    public static final String DOWN = "DOWN";

    private static final java.util.Set<String> RESERVED =
            java.util.Set.of(SERVICE, INSTANCE, HOST, PORT, SECURE, STATUS, ZONE, MANAGEMENT_PORT);

    private ServiceTags() {}

    /** Whether {@code key} is one of the keys above rather than user metadata. */
    public static boolean isReserved(String key) {
        return RESERVED.contains(key);
    }
}
