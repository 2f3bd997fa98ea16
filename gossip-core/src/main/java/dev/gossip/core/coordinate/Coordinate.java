package dev.gossip.core.coordinate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A node's estimated position in Vivaldi space, as in Serf's {@code coordinate.Coordinate}. The
 * estimated RTT between two nodes is the distance between their coordinates. All values except
 * {@code error} are in seconds. Immutable: the vector is copied in and out.
 *
 * <p>The values are not validated here, because a coordinate decoded from the wire must be
 * representable even when it is garbage; {@link #isValid()} and {@link CoordinateClient} reject it.
 *
 * @param vec the Euclidean part of the position
 * @param error the node's confidence in its position (dimensionless; lower is better)
 * @param adjustment an offset learnt from recent observations, added to distances ([3] in
 *     {@link CoordinateConfig})
 * @param height a non-Euclidean offset modelling the node's access link to the core network
 */
public record Coordinate(double[] vec, double error, double adjustment, double height) {

    private static final double SECONDS_TO_NANOS = 1.0e9;

    public Coordinate {
        vec = Objects.requireNonNull(vec, "vec").clone();
    }

    /** Where a node starts before it has observed anything: the origin, with maximum error. */
    public static Coordinate origin(CoordinateConfig config) {
        return new Coordinate(new double[config.dimensionality()], config.vivaldiErrorMax(), 0.0,
                config.heightMin());
    }

    /** A copy of the Euclidean part. */
    @Override
    public double[] vec() {
        return vec.clone();
    }

    /** Number of Euclidean dimensions. */
    public int dimensionality() {
        return vec.length;
    }

    public Coordinate withVec(double[] newVec) {
        return new Coordinate(newVec, error, adjustment, height);
    }

    public Coordinate withError(double newError) {
        return new Coordinate(vec, newError, adjustment, height);
    }

    public Coordinate withAdjustment(double newAdjustment) {
        return new Coordinate(vec, error, newAdjustment, height);
    }

    public Coordinate withHeight(double newHeight) {
        return new Coordinate(vec, error, adjustment, newHeight);
    }

    /** False if any component is NaN or infinite. */
    public boolean isValid() {
        for (double v : vec) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return Double.isFinite(error) && Double.isFinite(adjustment) && Double.isFinite(height);
    }

    /** True if both have the same dimensionality, so distances between them can be computed. */
    public boolean isCompatibleWith(Coordinate other) {
        return vec.length == other.vec.length;
    }

    /**
     * Estimated RTT to {@code other}: Euclidean distance plus both heights plus both adjustments.
     * If the adjustments would make it non-positive they are ignored, as in Serf. Truncated to
     * whole nanoseconds like Go's {@code time.Duration(seconds * 1e9)} (saturating on overflow).
     *
     * @throws IllegalArgumentException if the dimensionalities differ
     */
    public Duration distanceTo(Coordinate other) {
        return Duration.ofNanos((long) (distanceSecondsTo(other) * SECONDS_TO_NANOS));
    }

    /** {@link #distanceTo} in seconds, without the truncation to nanoseconds. */
    public double distanceSecondsTo(Coordinate other) {
        requireCompatible(other);
        double dist = rawDistanceTo(other);
        double adjusted = dist + adjustment + other.adjustment;
        return adjusted > 0.0 ? adjusted : dist;
    }

    /**
     * Moves this coordinate by {@code force} seconds along the line from {@code other} (a positive
     * force pushes away, a negative one pulls closer) and grows or shrinks the height in
     * proportion, never below {@code heightMin}. If the two positions coincide the direction is
     * drawn from {@code rng}.
     *
     * @throws IllegalArgumentException if the dimensionalities differ
     */
    public Coordinate applyForce(CoordinateConfig config, double force, Coordinate other,
            RandomGenerator rng) {
        requireCompatible(other);
        VectorMath.Direction direction = VectorMath.unitVectorAt(rng, vec, other.vec);
        double[] moved = VectorMath.add(vec, VectorMath.mul(direction.unit(), force));
        double newHeight = height;
        // With a random direction there is no distance to scale by, so the height stays put.
        if (direction.magnitude() > VectorMath.ZERO_THRESHOLD) {
            newHeight = (height + other.height) * force / direction.magnitude() + height;
            newHeight = Math.max(newHeight, config.heightMin());
        }
        return new Coordinate(moved, error, adjustment, newHeight);
    }

    /** Vivaldi distance without adjustments (Serf's {@code rawDistanceTo}); dims are checked. */
    double rawDistanceTo(Coordinate other) {
        return VectorMath.magnitude(VectorMath.diff(vec, other.vec)) + height + other.height;
    }

    /**
     * Go's {@code Duration.Seconds()}: whole seconds plus the remainder, both truncated toward
     * zero. The client computes with this rather than the untruncated distance so that its
     * arithmetic is bit-for-bit the one Serf does.
     */
    static double goSeconds(Duration d) {
        long nanos = d.toNanos();
        long seconds = nanos / 1_000_000_000L;
        long remainder = nanos % 1_000_000_000L;
        return seconds + remainder / 1e9;
    }

    private void requireCompatible(Coordinate other) {
        if (!isCompatibleWith(other)) {
            throw new IllegalArgumentException("coordinate dimensionality does not match: "
                    + vec.length + " vs " + other.vec.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coordinate c
                && Arrays.equals(vec, c.vec)
                && Double.compare(error, c.error) == 0
                && Double.compare(adjustment, c.adjustment) == 0
                && Double.compare(height, c.height) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(vec), error, adjustment, height);
    }

    @Override
    public String toString() {
        return "Coordinate[vec=" + Arrays.toString(vec) + ", error=" + error
                + ", adjustment=" + adjustment + ", height=" + height + "]";
    }
}
