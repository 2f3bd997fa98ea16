package dev.gossip.spring.dns;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.springframework.cloud.client.ServiceInstance;

/**
 * What a question under the domain is answered with, read from the {@link ServiceIndex}:
 * {@code <service>.service.<domain>} and {@code _<service>._tcp.service.<domain>} (SRV, A, AAAA;
 * ANY as SRV), {@code <member>.node.<domain>} (A, AAAA) and {@code <hex ip>.addr.<domain>}, the
 * SRV target of an instance whose IP is not its member's gossip address.
 */
final class DnsAnswerer {

    /** The rcode and records of one answer. */
    record Answer(Dns.Rcode rcode, List<DnsRecord> answers, List<DnsRecord> additional) {
        static Answer of(Dns.Rcode rcode) {
            return new Answer(rcode, List.of(), List.of());
        }
    }

    private static final Answer EMPTY = Answer.of(Dns.Rcode.NOERROR);
    private static final Set<String> KINDS = Set.of("service", "node", "addr");

    private final ServiceIndex index;
    private final Function<String, Optional<Member>> members;
    private final List<String> domain;
    private final long ttl;

    /**
     * @param members a member by name, matched case-insensitively
     * @param domain lower case, without a trailing dot (e.g. {@code gossip})
     */
    DnsAnswerer(ServiceIndex index, Function<String, Optional<Member>> members, String domain, long ttlSeconds) {
        this.index = index;
        this.members = members;
        this.domain = List.of(domain.split("\\."));
        this.ttl = ttlSeconds;
    }

    Answer answer(DnsQuery q) {
        if (q.qclass() != Dns.CLASS_IN && q.qclass() != Dns.CLASS_ANY) {
            return Answer.of(Dns.Rcode.REFUSED); // we hold Internet-class data only
        }
        List<String> labels = new ArrayList<>(q.name().size());
        q.name().forEach(l -> labels.add(Dns.lower(l)));
        int inside = labels.size() - domain.size();
        if (inside < 0 || !labels.subList(inside, labels.size()).equals(domain)) {
            return Answer.of(Dns.Rcode.REFUSED); // not ours, and we do not recurse
        }
        if (inside == 0) {
            return EMPTY; // the domain itself exists, without records
        }
        String kind = labels.get(inside - 1);
        if (!KINDS.contains(kind)) {
            return Answer.of(Dns.Rcode.NXDOMAIN);
        }
        if (inside == 1) {
            return EMPTY; // service.<domain> and the like: names with names below them, without records
        }
        List<String> prefix = labels.subList(0, inside - 1);
        return switch (kind) {
            case "service" -> service(q, serviceName(prefix));
            case "node" -> node(q, String.join(".", prefix));
            default -> addr(q, prefix);
        };
    }

    /** {@code _greeter._tcp} (RFC 2782) or {@code greeter}; a service id with dots spans labels. */
    private static String serviceName(List<String> prefix) {
        if (prefix.size() == 2 && prefix.get(0).startsWith("_") && prefix.get(1).equals("_tcp")) {
            return prefix.get(0).substring(1);
        }
        return String.join(".", prefix);
    }

    private Answer service(DnsQuery q, String service) {
        if (index.allInstances(service).isEmpty()) {
            return Answer.of(Dns.Rcode.NXDOMAIN);
        }
        List<GossipServiceInstance> chosen = healthy(index.upInstances(service));
        Collections.shuffle(chosen, ThreadLocalRandom.current()); // spreads load, and what survives truncation
        List<DnsRecord> answers = new ArrayList<>();
        List<DnsRecord> additional = new ArrayList<>();
        switch (q.type()) {
            case Dns.TYPE_SRV, Dns.TYPE_ANY -> {
                for (GossipServiceInstance si : chosen) {
                    InetAddress ip = ipLiteral(si.getHost());
                    List<String> target = ip == null ? hostname(si.getHost()) : target(si, ip);
                    if (target != null) {
                        answers.add(DnsRecord.srv(q.name(), si.getPort(), target, ttl));
                        if (ip != null) {
                            additional.add(DnsRecord.address(target, ip, ttl));
                        }
                    }
                }
            }
            case Dns.TYPE_A, Dns.TYPE_AAAA -> {
                Set<InetAddress> ips = new LinkedHashSet<>(); // two instances on one host: one record
                for (GossipServiceInstance si : chosen) {
                    InetAddress ip = ipLiteral(si.getHost());
                    if (ip != null && family(ip) == q.type()) {
                        ips.add(ip);
                    }
                }
                ips.forEach(ip -> answers.add(DnsRecord.address(q.name(), ip, ttl)));
            }
            default -> { }
        }
        return new Answer(Dns.Rcode.NOERROR, answers, additional);
    }

    /**
     * UP and not suspect; when every UP instance is suspect, all of them, as the load balancer
     * does: a suspicion is often a slow node, and an empty answer helps nobody.
     */
    private static List<GossipServiceInstance> healthy(List<ServiceInstance> up) {
        List<GossipServiceInstance> healthy = new ArrayList<>();
        List<GossipServiceInstance> suspects = new ArrayList<>();
        for (ServiceInstance si : up) {
            GossipServiceInstance g = (GossipServiceInstance) si;
            (g.isSuspect() ? suspects : healthy).add(g);
        }
        return healthy.isEmpty() ? suspects : healthy;
    }

    /** {@code <member>.node.<domain>} when the IP is the member's own, else {@code <hex ip>.addr.<domain>}. */
    private List<String> target(GossipServiceInstance si, InetAddress ip) {
        InetAddress member = ipLiteral(si.getMemberAddress());
        List<String> labels = new ArrayList<>();
        if (ip.equals(member) && isLabel(si.getMemberName())) {
            labels.add(si.getMemberName());
            labels.add("node");
        } else {
            labels.add(HexFormat.of().formatHex(ip.getAddress()));
            labels.add("addr");
        }
        labels.addAll(domain);
        return labels;
    }

    private Answer node(DnsQuery q, String name) {
        Optional<Member> m = members.apply(name).filter(x -> x.status() == MemberStatus.ALIVE);
        if (m.isEmpty()) {
            return Answer.of(Dns.Rcode.NXDOMAIN);
        }
        return address(q, m.get().address());
    }

    /** {@code 0a000007.addr.<domain>}: 8 or 32 hex digits, the SRV target of an instance's own IP. */
    private Answer addr(DnsQuery q, List<String> prefix) {
        if (prefix.size() != 1 || (prefix.get(0).length() != 8 && prefix.get(0).length() != 32)) {
            return Answer.of(Dns.Rcode.NXDOMAIN);
        }
        try {
            return address(q, InetAddress.getByAddress(HexFormat.of().parseHex(prefix.get(0))));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Answer.of(Dns.Rcode.NXDOMAIN);
        }
    }

    private Answer address(DnsQuery q, InetAddress ip) {
        if (q.type() == family(ip) || q.type() == Dns.TYPE_ANY) {
            return new Answer(Dns.Rcode.NOERROR, List.of(DnsRecord.address(q.name(), ip, ttl)), List.of());
        }
        return EMPTY;
    }

    private static int family(InetAddress ip) {
        return ip instanceof Inet4Address ? Dns.TYPE_A : Dns.TYPE_AAAA;
    }

    /** The host's labels if it is a valid DNS name (RFC 1035 2.3.4 lengths); else null: the instance is left out. */
    private static List<String> hostname(String host) {
        List<String> labels = List.of(host.split("\\.", -1));
        int wire = 1;
        for (String label : labels) {
            if (!isLabel(label)) {
                return null;
            }
            wire += label.length() + 1;
        }
        return wire <= Dns.MAX_NAME ? labels : null;
    }

    /** 1 to 63 printable ASCII characters, no dot: what a member name must be to appear in a DNS name. */
    static boolean isLabel(String s) {
        if (s.isEmpty() || s.length() > Dns.MAX_LABEL) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * The address if {@code host} is an IPv4 or IPv6 literal, else null. Never a DNS lookup: the
     * responder must not block on, or leak queries to, the host's resolver.
     */
    static InetAddress ipLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (h.indexOf(':') >= 0) {
                int scope = h.indexOf('%');
                String bare = scope >= 0 ? h.substring(0, scope) : h;
                // only hex digits, colons and dots: getByName then parses the literal, it never looks it up
                if (!bare.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80 || c == ':' || c == '.')) {
                    return null;
                }
                return InetAddress.getByName(bare);
            }
            String[] parts = h.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }
}
