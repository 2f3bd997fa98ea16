package dev.gossip.spring.serviceregistry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The Spring Boot Admin keys, from the properties Boot itself uses to place the actuator. */
class ManagementMetadataTest {

    private static ManagementMetadata from(String... properties) {
        MockEnvironment env = new MockEnvironment();
        for (String p : properties) {
            int eq = p.indexOf('=');
            env.setProperty(p.substring(0, eq), p.substring(eq + 1));
        }
        return ManagementMetadata.from(env, false);
    }

    @Test
    void defaults() {
        assertThat(from()).isEqualTo(new ManagementMetadata("/actuator", "health", null));
    }

    @Test
    void theServletContextPathPrefixesTheActuatorOnTheMainPort() {
        assertThat(from("server.servlet.context-path=/g").contextPath()).isEqualTo("/g/actuator");
        assertThat(from("spring.webflux.base-path=/w/").contextPath()).isEqualTo("/w/actuator");
        assertThat(from("server.servlet.context-path=/g", "management.endpoints.web.base-path=/")
                .contextPath()).isEqualTo("/g");
    }

    @Test
    void aSeparateManagementPortUsesTheManagementBasePathInstead() {
        assertThat(from("server.servlet.context-path=/g", "management.server.port=0").contextPath())
                .isEqualTo("/actuator");
        assertThat(from("server.servlet.context-path=/g", "management.server.port=9001",
                "management.server.base-path=/ops", "management.endpoints.web.base-path=/manage").contextPath())
                .isEqualTo("/ops/manage");
        // the same port as the server is not a separate server
        assertThat(from("server.port=8080", "management.server.port=8080", "server.servlet.context-path=/g")
                .contextPath()).isEqualTo("/g/actuator");
    }

    @Test
    void theHealthPathMappingIsHonoured() {
        assertThat(from("management.endpoints.web.path-mapping.health=/healthz").healthPath()).isEqualTo("healthz");
    }

    @Test
    void managementOverHttpSwitchedOffAdvertisesNothing() {
        assertThat(from("management.server.port=-1")).isEqualTo(ManagementMetadata.NONE);
    }

    @Test
    void aManagementSchemeOnlyWhenItDiffersFromTheServers() {
        assertThat(from("management.server.port=9001", "management.server.ssl.bundle=ops").scheme()).isEqualTo("https");
        assertThat(from("management.server.port=9001").scheme()).isNull();
        MockEnvironment env = new MockEnvironment().withProperty("management.server.port", "9001");
        assertThat(ManagementMetadata.from(env, true).scheme()).isEqualTo("http");
    }
}
