package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.spring.serviceregistry.GossipRegistration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** https is registered whenever Boot's web server has SSL, not only with server.ssl.enabled=true. */
class SecureSchemeTest {

    private final ApplicationContextRunner runner = StarterContexts.runner();

    private void registersScheme(String scheme, String... properties) {
        runner.withPropertyValues(properties).run(ctx -> {
            GossipRegistration registration = ctx.getBean(GossipRegistration.class);
            assertThat(registration.getScheme()).as(String.join(", ", properties)).isEqualTo(scheme);
            assertThat(registration.isSecure()).isEqualTo(scheme.equals("https"));
        });
    }

    @Test
    void aKeyStoreOrABundleAloneMeansHttps() {
        registersScheme("https", "server.ssl.key-store=classpath:server.p12");
        registersScheme("https", "server.ssl.bundle=web");
        registersScheme("https", "server.ssl.certificate=classpath:cert.pem");
    }

    @Test
    void noSslOrSslSwitchedOffMeansHttp() {
        registersScheme("http");
        registersScheme("http", "server.ssl.bundle=web", "server.ssl.enabled=false");
    }

    @Test
    void theDiscoveryPropertyWins() {
        registersScheme("http", "server.ssl.bundle=web", "spring.cloud.gossip.discovery.secure=false");
        registersScheme("https", "spring.cloud.gossip.discovery.secure=true");
    }
}
