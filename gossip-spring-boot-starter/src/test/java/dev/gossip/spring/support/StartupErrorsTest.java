package dev.gossip.spring.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistryAutoConfiguration;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * Each configuration mistake stops the context with a {@link GossipStartupException}, and Boot's
 * failure report names the property to change.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupErrorsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, GossipAutoConfiguration.class))
            .withPropertyValues("spring.application.name=orders", "spring.cloud.gossip.bind-address=127.0.0.1",
                    "spring.cloud.gossip.bind-port=0", "spring.cloud.gossip.drain-period=0");

    /** Starts with {@code properties}, expects failure, returns the analysis after checking it names {@code property}. */
    private FailureAnalysis failsNaming(String property, String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(ctx -> {
            assertThat(ctx).hasFailed();
            Throwable failure = ctx.getStartupFailure();
            GossipStartupException cause = find(failure);
            assertThat(cause).as("GossipStartupException in " + failure).isNotNull();
            assertThat(cause.getProperty()).isEqualTo(property);
            analysis[0] = new GossipStartupFailureAnalyzer().analyze(failure);
        });
        FailureAnalysis a = analysis[0];
        assertThat(a).isNotNull();
        assertThat(a.getDescription()).startsWith("The gossip node could not start: ").contains(property);
        assertThat(a.getAction()).contains(property);
        return a;
    }

    private static GossipStartupException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GossipStartupException g) {
                return g;
            }
        }
        return null;
    }

    @Test
    void portInUse() throws IOException {
        try (Taken taken = Taken.freePort()) {
            FailureAnalysis a = failsNaming("spring.cloud.gossip.bind-port",
                    "spring.cloud.gossip.bind-port=" + taken.port());
            assertThat(a.getDescription()).contains("127.0.0.1:" + taken.port()).contains("already in use");
            assertThat(a.getAction()).contains("free port");
        }
    }

    @Test
    void unresolvableSeed() {
        FailureAnalysis a = failsNaming("spring.cloud.gossip.seeds",
                "spring.cloud.gossip.seeds=127.0.0.1:7946,no-such-host.invalid:7946");
        assertThat(a.getDescription()).contains("no-such-host.invalid").contains("does not resolve");
    }

    @Test
    void memberLimitBelowTwo() {
        FailureAnalysis a = failsNaming("spring.cloud.gossip.max-members", "spring.cloud.gossip.max-members=1");
        assertThat(a.getAction()).contains("at least the cluster's size");
    }

    @Test
    void malformedSeed() {
        failsNaming("spring.cloud.gossip.seeds", "spring.cloud.gossip.seeds=127.0.0.1:notaport");
    }

    @Test
    void oversizeTags() {
        FailureAnalysis a = failsNaming("spring.cloud.gossip.tags",
                "spring.cloud.gossip.tags.description=" + "x".repeat(520));
        assertThat(a.getDescription()).contains("512");
        assertThat(a.getAction()).contains("spring.cloud.gossip.discovery.metadata");
    }

    @Test
    void oversizeDiscoveryMetadataFailsTheStartNotTheReadiness() {
        ApplicationContextRunner registering = runner.withConfiguration(
                AutoConfigurations.of(GossipServiceRegistryAutoConfiguration.class));
        registering.withPropertyValues("spring.cloud.gossip.discovery.metadata.notes=" + "x".repeat(470))
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    GossipStartupException cause = find(ctx.getStartupFailure());
                    assertThat(cause).isNotNull();
                    assertThat(cause.getProperty()).isEqualTo("spring.cloud.gossip.discovery.metadata");
                    FailureAnalysis a = new GossipStartupFailureAnalyzer().analyze(ctx.getStartupFailure());
                    assertThat(a.getDescription()).contains("512").contains("spring.cloud.gossip.discovery.metadata");
                    assertThat(a.getAction()).contains("spring.cloud.gossip.discovery.metadata")
                            .contains("service, instance");
                });
        // what fits still starts
        registering.withPropertyValues("spring.cloud.gossip.discovery.metadata.notes=" + "x".repeat(300))
                .run(ctx -> assertThat(ctx).hasNotFailed());
    }

    @Test
    void reservedKeysInTheMetadataOrTagsFailNamingTheProperty() {
        ApplicationContextRunner registering = runner.withConfiguration(
                AutoConfigurations.of(GossipServiceRegistryAutoConfiguration.class));
        registering.withPropertyValues("spring.cloud.gossip.discovery.metadata.zone=eu-1",
                "spring.cloud.gossip.discovery.metadata.team=payments").run(ctx -> {
                    GossipStartupException cause = find(ctx.getStartupFailure());
                    assertThat(cause).isNotNull();
                    assertThat(cause.getProperty()).isEqualTo("spring.cloud.gossip.discovery.metadata");
                    assertThat(cause.getMessage()).contains("[zone]");
                    assertThat(cause.getAction()).contains("spring.cloud.gossip.discovery.zone");
                });
        registering.withPropertyValues("spring.cloud.gossip.tags.port=1").run(ctx -> {
            GossipStartupException cause = find(ctx.getStartupFailure());
            assertThat(cause).isNotNull();
            assertThat(cause.getProperty()).isEqualTo("spring.cloud.gossip.tags");
            assertThat(cause.getMessage()).contains("[port]");
        });
        // Spring Boot Admin's keys are the user's to override
        registering.withPropertyValues("spring.cloud.gossip.discovery.metadata[management.context-path]=/ops")
                .run(ctx -> assertThat(ctx).hasNotFailed());
    }

    @Test
    void malformedEncryptKey() {
        FailureAnalysis a = failsNaming("spring.cloud.gossip.encrypt-keys",
                "spring.cloud.gossip.encrypt-keys=not base64!");
        assertThat(a.getDescription()).contains("#1").doesNotContain("not base64!"); // never echo key material
        assertThat(a.getAction()).contains("16, 24 or 32 bytes");
    }

    @Test
    void encryptKeyOfTheWrongLength() {
        String tenBytes = Base64.getEncoder().encodeToString(new byte[10]);
        String good = Base64.getEncoder().encodeToString(new byte[32]);
        FailureAnalysis a = failsNaming("spring.cloud.gossip.encrypt-keys",
                "spring.cloud.gossip.encrypt-keys=" + good + "," + tenBytes);
        assertThat(a.getDescription()).contains("#2");
    }

    @Test
    void snapshotPathThatIsADirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        FailureAnalysis a = failsNaming("spring.cloud.gossip.snapshot-path",
                "spring.cloud.gossip.snapshot-path=" + dir);
        assertThat(a.getDescription()).contains(dir.toString());
        assertThat(a.getAction()).contains("read and write");

        java.nio.file.Path file = dir.resolve("node").resolve("gossip.snapshot");
        runner.withPropertyValues("spring.cloud.gossip.snapshot-path=" + file,
                "spring.cloud.gossip.rejoin-after-leave=true").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(dev.gossip.core.GossipNode.class).config().snapshotPath()).isEqualTo(file);
                    assertThat(ctx.getBean(dev.gossip.core.GossipNode.class).config().rejoinAfterLeave()).isTrue();
                    assertThat(file).as("created with its directory").exists();
                });
    }

    @Test
    void bindPortOutOfRange() {
        failsNaming("spring.cloud.gossip.bind-port", "spring.cloud.gossip.bind-port=70000");
    }

    @Test
    void bindAddressThatDoesNotResolve() {
        failsNaming("spring.cloud.gossip.bind-address", "spring.cloud.gossip.bind-address=no-such-host.invalid");
    }

    @Test
    void bindAddressOfAnotherHost() {
        // TEST-NET-2 (RFC 5737): not an address of this host, so bind() fails locally; nothing is sent
        FailureAnalysis a = failsNaming("spring.cloud.gossip.bind-address",
                "spring.cloud.gossip.bind-address=198.51.100.1");
        assertThat(a.getDescription()).contains("198.51.100.1").contains("does not belong to this host");
    }

    @Test
    void advertiseAddressThatDoesNotResolve() {
        failsNaming("spring.cloud.gossip.advertise-address",
                "spring.cloud.gossip.advertise-address=no-such-host.invalid");
    }

    @Test
    void failureAnalyzerIsRegisteredWithBoot(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(
                "--spring.main.banner-mode=off", "--spring.application.name=orders",
                "--spring.cloud.gossip.bind-address=127.0.0.1", "--spring.cloud.gossip.bind-port=0",
                "--spring.cloud.gossip.encrypt-keys=not base64!"))
                .satisfies(e -> assertThat(find(e)).isNotNull());
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The gossip node could not start")
                .contains("Property: spring.cloud.gossip.encrypt-keys")
                .contains("Action:")
                .contains("Set spring.cloud.gossip.encrypt-keys to base64 AES keys");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    /** A port held on 127.0.0.1 for both TCP and UDP, as another gossip agent would. */
    record Taken(ServerSocket tcp, DatagramSocket udp) implements AutoCloseable {

        static Taken freePort() throws IOException {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (int attempt = 0; ; attempt++) {
                ServerSocket tcp = new ServerSocket();
                tcp.bind(new InetSocketAddress(loopback, 0));
                try {
                    return new Taken(tcp, new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort())));
                } catch (BindException e) { // UDP side taken by someone else: try another port
                    tcp.close();
                    if (attempt == 20) {
                        throw e;
                    }
                }
            }
        }

        int port() {
            return tcp.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            tcp.close();
            udp.close();
        }
    }
}
