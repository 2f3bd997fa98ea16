package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Alive;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Memberlist#isMemberAddress}, which the transport asks to keep stream slots for members,
 * follows the node map as nodes join, share an address, move and are reaped.
 */
class MemberAddressTest {

    private static final Duration GOSSIP_TO_THE_DEAD = Duration.ofSeconds(30);

    @Test
    void followsNodesAsTheyJoinShareAnAddressMoveAndAreReaped() throws Exception {
        // No probes: the made-up nodes below never answer, and their fate is the test's to decide.
        TwoMemberlists c = new TwoMemberlists(t -> t.probeInterval(Duration.ofHours(1))
                .gossipToTheDeadTime(GOSSIP_TO_THE_DEAD), t -> t);
        Memberlist a = c.a;
        a.start();
        assertThat(a.isMemberAddress(c.addrA.getAddress())).as("ourselves").isTrue();
        assertThat(a.isMemberAddress(ip("10.0.0.9"))).isFalse();

        a.aliveNode(alive(1, "x", "10.0.0.9"), false);
        a.aliveNode(alive(1, "y", "10.0.0.9"), false);
        assertThat(a.isMemberAddress(ip("10.0.0.9"))).isTrue();

        // y fails and is reaped: x still has the address.
        a.deadNode(Accusation.dead(1, "y", "a"), null);
        assertThat(a.isMemberAddress(ip("10.0.0.9"))).as("a dead node not yet reaped").isTrue();
        c.runSeconds(GOSSIP_TO_THE_DEAD.toSeconds() + 1);
        a.resetNodes();
        assertThat(a.node("y")).isNull();
        assertThat(a.isMemberAddress(ip("10.0.0.9"))).as("x is still there").isTrue();

        // x leaves and comes back from another address.
        a.deadNode(Accusation.dead(1, "x", "x"), null);
        a.aliveNode(alive(2, "x", "10.0.0.8"), false);
        assertThat(a.node("x").addr()).isEqualTo(ip("10.0.0.8"));
        assertThat(a.isMemberAddress(ip("10.0.0.8"))).isTrue();
        assertThat(a.isMemberAddress(ip("10.0.0.9"))).as("nobody left there").isFalse();
    }

    private static Alive alive(long incarnation, String node, String addr) throws UnknownHostException {
        return new Alive(incarnation, node, ip(addr).getAddress(), 7946, new byte[0],
                MemberlistConfig.defaultVsn());
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
