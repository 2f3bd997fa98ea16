package dev.gossip.compat.boot35;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.core.SpringVersion;

/**
 * The class path really is the Boot 3.5 line: a pom that lost its version overrides fails here
 * instead of silently testing Boot 4.
 */
class BootLineTest {

    @Test
    void springBoot35WithSpringCloud2025_0() {
        assertThat(SpringBootVersion.getVersion()).as("Spring Boot (spring-boot.version in compat/boot-3.5/pom.xml)")
                .startsWith("3.5.");
        assertThat(SpringVersion.getVersion()).as("Spring Framework").startsWith("6.2.");
        assertThat(ServiceInstance.class.getPackage().getImplementationVersion())
                .as("spring-cloud-commons (spring-cloud.version 2025.0.x)").startsWith("4.3.");
    }

    @Test
    void netty42AsTheGossipNodeNeeds() {
        assertThat(Version.identify().get("netty-transport").artifactVersion())
                .as("netty.version in compat/boot-3.5/pom.xml").startsWith("4.2.");
    }
}
