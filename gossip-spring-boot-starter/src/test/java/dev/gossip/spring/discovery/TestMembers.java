package dev.gossip.spring.discovery;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Members built in memory (no network, no DNS), to feed a {@link ServiceIndex}. */
public final class TestMembers {

    private TestMembers() {}

    /** An alive, unsuspected member at {@link #address}(i) advertising {@code service} on {@code port}. */
    public static Member service(String name, int i, String service, int port, String... extraTags) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ServiceTags.SERVICE, service);
        tags.put(ServiceTags.PORT, Integer.toString(port));
        for (int k = 0; k + 1 < extraTags.length; k += 2) {
            tags.put(extraTags[k], extraTags[k + 1]);
        }
        return member(name, i, tags, MemberStatus.ALIVE, false);
    }

    public static Member member(String name, int i, Map<String, String> tags, MemberStatus status, boolean suspect) {
        return new Member(name, address(i), 7946, tags, status, suspect, 1, 5, 2, 2, 5, 4, 1);
    }

    public static Member withSuspect(Member m, boolean suspect) {
        return new Member(m.name(), m.address(), m.port(), m.tags(), m.status(), suspect, m.protocolMin(),
                m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur(),
                m.incarnation());
    }

    public static Member withStatus(Member m, MemberStatus status) {
        return new Member(m.name(), m.address(), m.port(), m.tags(), status, m.suspect(), m.protocolMin(),
                m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur(),
                m.incarnation());
    }

    public static Member withTag(Member m, String key, String value) {
        Map<String, String> tags = new LinkedHashMap<>(m.tags());
        tags.put(key, value);
        return new Member(m.name(), m.address(), m.port(), tags, m.status(), m.suspect(), m.protocolMin(),
                m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur(),
                m.incarnation() + 1);
    }

    /** 127.1.{i / 250}.{i % 250 + 1} (loopback): never resolved, never contacted. */
    public static InetAddress address(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
