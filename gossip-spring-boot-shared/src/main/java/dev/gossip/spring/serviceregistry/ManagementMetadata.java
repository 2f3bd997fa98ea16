package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.discovery.ServiceTags;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Where this application's actuator lives, as Spring Boot Admin reads it from discovery
 * metadata ({@code management.context-path}, {@code health.path}, {@code management.scheme};
 * {@code management.port} comes from the management web server once it has started). Derived
 * from the same properties Boot uses: the servlet context path or WebFlux base path when the
 * actuator shares the main server, {@code management.server.base-path} when it has its own,
 * then {@code management.endpoints.web.base-path} and the health endpoint's path mapping.
 *
 * @param contextPath actuator root path, e.g. {@code /actuator} or {@code /g/actuator}; null for none
 * @param healthPath health endpoint below the root, e.g. {@code health}
 * @param scheme {@code https} or {@code http} when the management server's differs from the main one, else null
 */
public record ManagementMetadata(String contextPath, String healthPath, String scheme) {

    /** No actuator on the web: nothing to advertise. */
    public static final ManagementMetadata NONE = new ManagementMetadata(null, null, null);

    private static final String ACTUATOR_WEB = "org.springframework.boot.actuate.endpoint.web.WebEndpointResponse";

    /** What the environment says, or {@link #NONE} without actuator web endpoints. */
    public static ManagementMetadata from(Environment env, boolean mainServerSecure) {
        if (!ClassUtils.isPresent(ACTUATOR_WEB, ManagementMetadata.class.getClassLoader())) {
            return NONE;
        }
        Integer managementPort = env.getProperty("management.server.port", Integer.class);
        if (managementPort != null && managementPort < 0) {
            return NONE; // management over HTTP switched off
        }
        Integer serverPort = env.getProperty("server.port", Integer.class);
        boolean separate = managementPort != null && !Objects.equals(managementPort, serverPort);
        String base = separate ? env.getProperty("management.server.base-path", "")
                : env.getProperty("server.servlet.context-path", env.getProperty("spring.webflux.base-path", ""));
        String contextPath = join(base, env.getProperty("management.endpoints.web.base-path", "/actuator"));
        String health = trimSlashes(env.getProperty("management.endpoints.web.path-mapping.health", "health"));
        String scheme = null;
        if (separate) {
            boolean managementSecure = WebServerSsl.sslEnabled(env, "management.server.ssl");
            if (managementSecure != mainServerSecure) {
                scheme = managementSecure ? "https" : "http";
            }
        }
        return new ManagementMetadata(contextPath, health, scheme);
    }

    /** Adds the keys; {@code port} only when the actuator has a port of its own (else null). */
    void putInto(Map<String, String> metadata, Integer port) {
        if (contextPath != null) {
            metadata.put(ServiceTags.MANAGEMENT_CONTEXT_PATH, contextPath);
        }
        if (healthPath != null) {
            metadata.put(ServiceTags.HEALTH_PATH, healthPath);
        }
        if (scheme != null) {
            metadata.put(ServiceTags.MANAGEMENT_SCHEME, scheme);
        }
        if (port != null) {
            metadata.put(ServiceTags.MANAGEMENT_PORT, Integer.toString(port));
        }
    }

    /** "/g" + "/actuator" → "/g/actuator"; "" + "/" → "/". */
    public static String join(String base, String path) {
        String a = trimSlashes(base);
        String b = trimSlashes(path);
        String joined = a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
        return "/" + joined;
    }

    private static String trimSlashes(String s) {
        String t = s == null ? "" : s.trim();
        int from = 0;
        int to = t.length();
        while (from < to && t.charAt(from) == '/') {
            from++;
        }
        while (to > from && t.charAt(to - 1) == '/') {
            to--;
        }
        return t.substring(from, to);
    }
}
