package dev.gossip.spring.dns;

import static dev.gossip.spring.discovery.TestMembers.service;
import static dev.gossip.spring.discovery.TestMembers.withSuspect;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.discovery.TestMembers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** A cluster in memory (no node) and a responder over it on 127.0.0.1 and a free port. */
final class DnsFixtures {

    private DnsFixtures() {}

    /**
     * greeter: greeter-1 and -2 healthy on their gossip IPs (8080, 8081), greeter-3 DOWN, greeter-4
     * OUT_OF_SERVICE, greeter-5 suspect, greeter-6 on a host name, greeter-7 on an IPv6 host;
     * lonely: only a suspect; resting: only DOWN; big: 60 healthy instances; v6-node: a member
     * with an IPv6 gossip address.
     */
    static List<Member> cluster() throws Exception {
        List<Member> m = new ArrayList<>();
        m.add(service("greeter-1", 1, "greeter", 8080));
        m.add(service("greeter-2", 2, "greeter", 8081));
        m.add(service("greeter-3", 3, "greeter", 8083, ServiceTags.STATUS, "DOWN"));
        m.add(service("greeter-4", 4, "greeter", 8084, ServiceTags.STATUS, "OUT_OF_SERVICE"));
        m.add(withSuspect(service("greeter-5", 5, "greeter", 8085), true));
        m.add(service("greeter-6", 6, "greeter", 8086, ServiceTags.HOST, "greeter-six.example"));
        m.add(service("greeter-7", 7, "greeter", 8087, ServiceTags.HOST, "fd00::7"));
        m.add(withSuspect(service("lonely-1", 8, "lonely", 9000), true));
        m.add(service("resting-1", 9, "resting", 9100, ServiceTags.STATUS, "DOWN"));
        for (int i = 0; i < 60; i++) {
            m.add(service("big-" + i, 100 + i, "big", 10_000 + i));
        }
        m.add(new Member("v6-node", InetAddress.getByName("fd00::99"), 7946, Map.of(), MemberStatus.ALIVE, false,
                1, 5, 2, 2, 5, 4, 1));
        m.add(TestMembers.member("gone", 10, Map.of(), MemberStatus.FAILED, false));
        return m;
    }

    static ServiceIndex index(List<Member> members) {
        return new ServiceIndex(() -> members, Set.of(ServiceTags.UP));
    }

    static Function<String, Optional<Member>> byName(List<Member> members) {
        return name -> members.stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst();
    }

    static DnsResponder responder(List<Member> members) throws SocketException {
        DnsAnswerer answerer = new DnsAnswerer(index(members), byName(members), "gossip", 0);
        return DnsResponder.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), answerer);
    }
}
