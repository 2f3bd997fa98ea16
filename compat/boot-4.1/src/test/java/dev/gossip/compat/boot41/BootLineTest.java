package dev.gossip.compat.boot41;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.core.SpringVersion;

/**
 * The starter's tests in this module prove something about Boot 4.1 only if they really run on
 * it: a pom that lost its BOM override would run them on the default line and pass unnoticed.
 */
class BootLineTest {

    @Test
    void theTestsRunOnSpringBoot41() {
        assertThat(SpringBootVersion.getVersion())
                .as("Spring Boot on this module's class path (its pom imports the 4.1 BOM)")
                .startsWith("4.1.");
    }

    @Test
    void theTestsRunOnTheNettyThatBoot41IsPinnedTo() {
        Version common = Version.identify().get("netty-common");
        assertThat(common).as("netty-common on the class path").isNotNull();
        assertThat(common.artifactVersion())
                .as("Netty version (imported ahead of Boot's BOM in this module's pom)")
                .isEqualTo("4.2.18.Final");
    }

    @Test
    void theTestsRunOnSpringFramework7AndSpringCloudCommons5() {
        assertThat(SpringVersion.getVersion()).as("Spring Framework under Boot 4.1").startsWith("7.");
        assertThat(DiscoveryClient.class.getPackage().getImplementationVersion())
                .as("spring-cloud-commons of the 2025.1 train").startsWith("5.0.");
    }
}
