/**
 * An opt-in DNS responder on a gossip member ({@code spring.cloud.gossip.dns.*}), so that clients
 * outside the cluster ({@code dig}, nginx, Envoy) resolve {@code <service>.service.<domain>} to the
 * healthy instances: a dependency-free DNS codec (RFC 1035, 2782, 6891), the answers over the
 * {@link dev.gossip.spring.discovery.ServiceIndex}, and a UDP server. See docs/dns.md.
 */
package dev.gossip.spring.dns;
