package dev.gossip.core.coordinate;

/**
 * Tuning parameters of the Vivaldi network coordinate algorithm, as in Serf's
 * {@code coordinate.Config}. {@link #defaults()} gives Serf's values, which every Serf agent uses,
 * so a node must keep at least {@code dimensionality} = 8 to exchange coordinates with Serf.
 *
 * <p>References used in the parameter docs: [1] Dabek et al., "Vivaldi: A decentralized network
 * coordinate system" (SIGCOMM 2004); [2] Ledlie et al., "Network Coordinates in the Wild" (NSDI
 * 2007); [3] Lee et al., "On suitability of Euclidean embedding for host-based network coordinate
 * systems" (IEEE/ACM ToN 2010).
 *
 * @param dimensionality number of Euclidean dimensions; [2] found 8 plus a height to work well
 * @param vivaldiErrorMax error of a node without observations, and the upper bound of the error
 * @param vivaldiCE maximum impact one observation has on a node's confidence ([1])
 * @param vivaldiCC maximum impact one observation has on a node's position ([1])
 * @param adjustmentWindowSize samples kept for the adjustment offset of [3]; 0 disables it
 * @param heightMin lower bound of the height, in seconds; must be small next to real RTTs
 * @param latencyFilterSize RTT samples kept per peer; their median feeds Vivaldi ([2])
 * @param gravityRho how weakly coordinates are pulled back to the origin against drift ([2])
 */
public record CoordinateConfig(
        int dimensionality,
        double vivaldiErrorMax,
        double vivaldiCE,
        double vivaldiCC,
        int adjustmentWindowSize,
        double heightMin,
        int latencyFilterSize,
        double gravityRho) {

    /** Rejects values for which the algorithm would divide by zero or index out of bounds. */
    public CoordinateConfig {
        if (dimensionality <= 0) {
            throw new IllegalArgumentException("dimensionality must be > 0, got " + dimensionality);
        }
        if (adjustmentWindowSize < 0) {
            throw new IllegalArgumentException("adjustmentWindowSize must be >= 0");
        }
        if (latencyFilterSize <= 0) {
            throw new IllegalArgumentException("latencyFilterSize must be > 0");
        }
        if (!(gravityRho > 0) || Double.isInfinite(gravityRho)) {
            throw new IllegalArgumentException("gravityRho must be positive and finite");
        }
        requireFinite("vivaldiErrorMax", vivaldiErrorMax);
        requireFinite("vivaldiCE", vivaldiCE);
        requireFinite("vivaldiCC", vivaldiCC);
        requireFinite("heightMin", heightMin);
    }

    /** Serf's {@code DefaultConfig()}: the values every Serf agent runs with. */
    public static CoordinateConfig defaults() {
        return new CoordinateConfig(8, 1.5, 0.25, 0.25, 20, 10.0e-6, 3, 150.0);
    }

    /** A copy with another dimensionality (tests use 2 or 3 to reason about geometry). */
    public CoordinateConfig withDimensionality(int newDimensionality) {
        return new CoordinateConfig(newDimensionality, vivaldiErrorMax, vivaldiCE, vivaldiCC,
                adjustmentWindowSize, heightMin, latencyFilterSize, gravityRho);
    }

    /** A copy with another minimum height. */
    public CoordinateConfig withHeightMin(double newHeightMin) {
        return new CoordinateConfig(dimensionality, vivaldiErrorMax, vivaldiCE, vivaldiCC,
                adjustmentWindowSize, newHeightMin, latencyFilterSize, gravityRho);
    }

    /** A copy with another latency filter size. */
    public CoordinateConfig withLatencyFilterSize(int newLatencyFilterSize) {
        return new CoordinateConfig(dimensionality, vivaldiErrorMax, vivaldiCE, vivaldiCC,
                adjustmentWindowSize, heightMin, newLatencyFilterSize, gravityRho);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }
}
