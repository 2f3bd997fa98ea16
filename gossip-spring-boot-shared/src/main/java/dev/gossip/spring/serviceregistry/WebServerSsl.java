package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.GossipDiscoveryProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/** Whether this instance serves HTTPS, as Boot's web server decides it from {@code server.ssl}. */
final class WebServerSsl {

    private static final String SSL = "org.springframework.boot.web.server.Ssl";

    private WebServerSsl() {}

    /**
     * spring.cloud.gossip.discovery.secure when set; else Boot's {@code Ssl.isEnabled}: SSL is
     * on as soon as a key store, certificate or bundle is configured, unless
     * server.ssl.enabled=false (reading server.ssl.enabled alone would miss those apps).
     */
    static boolean isSecure(GossipDiscoveryProperties discovery, Environment env) {
        if (discovery.getSecure() != null) {
            return discovery.getSecure();
        }
        return sslEnabled(env, "server.ssl");
    }

    /** Boot's verdict on the {@code Ssl} bound at {@code prefix} (server.ssl, management.server.ssl). */
    static boolean sslEnabled(Environment env, String prefix) {
        if (!ClassUtils.isPresent(SSL, WebServerSsl.class.getClassLoader())) {
            return false;
        }
        return Binder.get(env).bind(prefix, org.springframework.boot.web.server.Ssl.class)
                .map(ssl -> org.springframework.boot.web.server.Ssl.isEnabled(ssl)).orElse(false);
    }
}
