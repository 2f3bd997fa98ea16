package dev.gossip.core.coordinate;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One node's Vivaldi state (Serf's {@code coordinate.Client}): its own coordinate, refined each
 * time a probe of a peer completes with the peer's coordinate and the measured RTT.
 *
 * <p>Not thread-safe: it belongs to the node's serial executor, like the rest of the protocol
 * state. The random generator is only used to pick a direction when two nodes sit on the same
 * point (at start-up, everyone is at the origin); seed it to make a run reproducible.
 */
public final class CoordinateClient {

    /** RTTs above this are treated as measurement errors, as in Serf. */
    public static final Duration MAX_RTT = Duration.ofSeconds(10);

    /** RTTs below this (seconds) are raised to it, to avoid dividing by zero. */
    private static final double MIN_RTT_SECONDS = 1.0e-6;

    /** Lower bound of the summed errors (dimensionless), to avoid dividing by zero. */
    private static final double MIN_TOTAL_ERROR = 1.0e-6;

    private final CoordinateConfig config;
    private final RandomGenerator rng;

    /** The fixed origin that gravity pulls towards. */
    private final Coordinate origin;

    private final LatencyFilter latencyFilter;

    /** Ring buffer of (rtt - raw distance) samples in seconds, for the adjustment term. */
    private final double[] adjustmentSamples;
    private int adjustmentIndex;

    /** This node's current estimate. */
    private Coordinate coordinate;

    private long resets;
    private long zeroRtts;

    /** A client at the origin. */
    public CoordinateClient(CoordinateConfig config, RandomGenerator rng) {
        this.config = Objects.requireNonNull(config, "config");
        this.rng = Objects.requireNonNull(rng, "rng");
        this.origin = Coordinate.origin(config);
        this.coordinate = origin;
        this.latencyFilter = new LatencyFilter(config.latencyFilterSize());
        this.adjustmentSamples = new double[config.adjustmentWindowSize()];
    }

    /**
     * Counters of unusual events, for metrics.
     *
     * @param resets times the own coordinate became NaN or infinite and was reset to the origin
     * @param zeroRtts updates with an RTT of exactly zero (coarse clocks): accepted, but worth
     *     knowing about
     */
    public record Stats(long resets, long zeroRtts) {
    }

    public CoordinateConfig config() {
        return config;
    }

    /** This node's current coordinate (immutable, so no copy is needed). */
    public Coordinate getCoordinate() {
        return coordinate;
    }

    /**
     * Forces this node's coordinate, e.g. to one restored from a snapshot.
     *
     * @throws IllegalArgumentException if it has another dimensionality or is not finite
     */
    public void setCoordinate(Coordinate newCoordinate) {
        checkCoordinate(newCoordinate);
        coordinate = newCoordinate;
    }

    /** Forgets the RTT samples of a node that left the cluster. */
    public void forgetNode(String node) {
        latencyFilter.forget(node);
    }

    /** Peers whose recent RTT samples are kept; a diagnostic. */
    public int trackedNodes() {
        return latencyFilter.trackedNodes();
    }

    /** Estimated RTT from this node to the node at {@code other}. */
    public Duration distanceTo(Coordinate other) {
        return coordinate.distanceTo(other);
    }

    public Stats stats() {
        return new Stats(resets, zeroRtts);
    }

    /**
     * Feeds one observation: a probe of {@code node}, whose coordinate is {@code other}, took
     * {@code rtt}. Returns this node's new coordinate. The input comes from the network, so it is
     * checked first and the state is left untouched when it is rejected.
     *
     * @throws IllegalArgumentException if {@code other} is incompatible or not finite, or if
     *     {@code rtt} is negative or above {@link #MAX_RTT}; callers log it and move on
     */
    public Coordinate update(String node, Coordinate other, Duration rtt) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(rtt, "rtt");
        checkCoordinate(other);
        if (rtt.isNegative() || rtt.compareTo(MAX_RTT) > 0) {
            throw new IllegalArgumentException("round trip time not in valid range, duration "
                    + rtt + " is not a positive value less than " + MAX_RTT);
        }
        if (rtt.isZero()) {
            zeroRtts++;
        }

        double rttSeconds = latencyFilter.add(node, Coordinate.goSeconds(rtt));
        updateVivaldi(other, rttSeconds);
        updateAdjustment(other, rttSeconds);
        updateGravity();
        if (!coordinate.isValid()) {
            // Extreme inputs overflowed somewhere; starting over beats being stuck at NaN.
            resets++;
            coordinate = origin;
        }
        return coordinate;
    }

    /** The spring step of Vivaldi [1]: move along the line to {@code other} to fit the RTT. */
    private void updateVivaldi(Coordinate other, double rttSeconds) {
        double rtt = Math.max(rttSeconds, MIN_RTT_SECONDS);
        double dist = Coordinate.goSeconds(coordinate.distanceTo(other));
        double wrongness = Math.abs(dist - rtt) / rtt;

        // Trust the peer in proportion to how unsure we are compared to it.
        double totalError = Math.max(coordinate.error() + other.error(), MIN_TOTAL_ERROR);
        double weight = coordinate.error() / totalError;

        double ce = config.vivaldiCE() * weight;
        double error = ce * wrongness + coordinate.error() * (1.0 - ce);
        error = Math.min(error, config.vivaldiErrorMax());

        double force = config.vivaldiCC() * weight * (rtt - dist);
        coordinate = coordinate.withError(error).applyForce(config, force, other, rng);
    }

    /**
     * The adjustment term of [3]: half the mean of recent (rtt - distance) residuals, which
     * absorbs what the Euclidean model cannot fit. Uses the raw distance, so existing adjustments
     * do not feed back into themselves.
     */
    private void updateAdjustment(Coordinate other, double rttSeconds) {
        int window = adjustmentSamples.length;
        if (window == 0) {
            return;
        }
        adjustmentSamples[adjustmentIndex] = rttSeconds - coordinate.rawDistanceTo(other);
        adjustmentIndex = (adjustmentIndex + 1) % window;

        double sum = 0.0;
        for (double sample : adjustmentSamples) {
            sum += sample;
        }
        coordinate = coordinate.withAdjustment(sum / (2.0 * window));
    }

    /** A weak pull towards the origin [2], so the whole cluster does not drift away over time. */
    private void updateGravity() {
        double dist = Coordinate.goSeconds(origin.distanceTo(coordinate));
        // Serf writes math.Pow(x, 2), which Go computes exactly as x * x.
        double scaled = dist / config.gravityRho();
        double force = -1.0 * (scaled * scaled);
        coordinate = coordinate.applyForce(config, force, origin, rng);
    }

    private void checkCoordinate(Coordinate c) {
        Objects.requireNonNull(c, "coordinate");
        if (!coordinate.isCompatibleWith(c)) {
            throw new IllegalArgumentException("dimensions aren't compatible: expected "
                    + coordinate.dimensionality() + ", got " + c.dimensionality());
        }
        if (!c.isValid()) {
            throw new IllegalArgumentException("coordinate is invalid: " + c);
        }
    }
}
