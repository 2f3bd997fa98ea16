package dev.gossip.core.coordinate;

import java.util.random.RandomGenerator;

/**
 * The Euclidean helpers of Serf's {@code coordinate.go}. They assume equal lengths; callers check
 * compatibility first. Every result is a fresh array, so inputs are never modified.
 */
final class VectorMath {

    /** Below this distance two points count as on top of each other (seconds), as in Serf. */
    static final double ZERO_THRESHOLD = 1.0e-6;

    private VectorMath() {
    }

    /** A unit direction plus the distance it was derived from (0 when the direction is random). */
    record Direction(double[] unit, double magnitude) {
    }

    static double[] add(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    static double[] diff(double[] a, double[] b) {
        double[] difference = new double[a.length];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = a[i] - b[i];
        }
        return difference;
    }

    static double[] mul(double[] vec, double factor) {
        double[] product = new double[vec.length];
        for (int i = 0; i < product.length; i++) {
            product[i] = vec[i] * factor;
        }
        return product;
    }

    static double magnitude(double[] vec) {
        double sum = 0.0;
        for (double v : vec) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /**
     * The unit vector pointing at {@code from} away from {@code to}, and their distance. Two points
     * on top of each other have no direction, so a random one is drawn from {@code rng} (that is
     * how nodes that all start at the origin get pushed apart) and the distance reported is 0.
     */
    static Direction unitVectorAt(RandomGenerator rng, double[] from, double[] to) {
        double[] d = diff(from, to);
        double mag = magnitude(d);
        if (mag > ZERO_THRESHOLD) {
            return new Direction(mul(d, 1.0 / mag), mag);
        }

        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble() - 0.5;
        }
        double randomMag = magnitude(d);
        if (randomMag > ZERO_THRESHOLD) {
            return new Direction(mul(d, 1.0 / randomMag), 0.0);
        }

        // The random draw was (almost) zero too: exceedingly rare, so just pick the first axis.
        double[] axis = new double[d.length];
        if (axis.length > 0) {
            axis[0] = 1.0;
        }
        return new Direction(axis, 0.0);
    }
}
