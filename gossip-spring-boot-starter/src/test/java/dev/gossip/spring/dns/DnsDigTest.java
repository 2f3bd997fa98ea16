package dev.gossip.spring.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.testsupport.Binaries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real {@code dig} (bind9-dnsutils) against the responder: what an operator or a script
 * outside the cluster does. Skipped visibly without dig, failed without it under CI=true.
 */
class DnsDigTest {

    private String dig;
    private DnsResponder responder;

    @BeforeEach
    void start() throws Exception {
        dig = Binaries.required("dig", "apt-get install -y bind9-dnsutils");
        responder = DnsFixtures.responder(DnsFixtures.cluster());
    }

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    private List<String> dig(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(dig, "@127.0.0.1", "-p",
                Integer.toString(responder.address().getPort()), "+short", "+tries=1", "+time=2"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("dig finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("dig exit status; output:%n%s", out).isZero();
        return out.lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    @Test
    void digSrvListsTheHealthyGreeters() throws Exception {
        assertThat(dig("SRV", "greeter.service.gossip")).containsExactly(
                "1 1 8080 greeter-1.node.gossip.",
                "1 1 8081 greeter-2.node.gossip.",
                "1 1 8086 greeter-six.example.",
                "1 1 8087 fd000000000000000000000000000007.addr.gossip.");
        assertThat(dig("SRV", "_greeter._tcp.service.gossip")).hasSize(4);
    }

    @Test
    void digAListsTheHealthyGreetersAddresses() throws Exception {
        assertThat(dig("A", "greeter.service.gossip")).containsExactly("127.1.0.2", "127.1.0.3");
        assertThat(dig("AAAA", "greeter.service.gossip")).containsExactly("fd00::7");
        assertThat(dig("A", "greeter-2.node.gossip")).containsExactly("127.1.0.3");
    }
}
