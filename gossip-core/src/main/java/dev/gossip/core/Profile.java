package dev.gossip.core;

/**
 * Timing presets, as memberlist's {@code DefaultLANConfig}, {@code DefaultWANConfig} and
 * {@code DefaultLocalConfig} plus Serf's defaults (protocol doc §8).
 */
public enum Profile {
    /** A data-centre network: 1 s probes, 500 ms probe timeout, 200 ms gossip. */
    LAN,
    /** Links between data centres: slower probes and gossip, longer suspicion. */
    WAN,
    /** One host or a very fast network: quick timeouts. */
    LOCAL;

    public Timings timings() {
        return switch (this) {
            case LAN -> Timings.lan();
            case WAN -> Timings.wan();
            case LOCAL -> Timings.local();
        };
    }
}
