package dev.gossip.core.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The value type and its geometry, after Serf's coordinate_test.go. */
class CoordinateTest {

    /** Three dimensions and no minimum height, so distances are easy to work out by hand. */
    private static final CoordinateConfig FLAT_3D =
            CoordinateConfig.defaults().withDimensionality(3).withHeightMin(0);

    /** Fails if any random number is drawn: the geometry under test must not need one. */
    static final RandomGenerator NO_RANDOMNESS = () -> {
        throw new AssertionError("unexpected use of randomness");
    };

    @Test
    void freshNodeSitsAtTheOriginWithMaximumError() {
        Coordinate origin = Coordinate.origin(CoordinateConfig.defaults());

        assertThat(origin.vec()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(origin.dimensionality()).isEqualTo(8);
        assertThat(origin.error()).isEqualTo(1.5);
        assertThat(origin.adjustment()).isEqualTo(0.0);
        assertThat(origin.height()).isEqualTo(1.0e-5);
        assertThat(origin.isValid()).isTrue();
    }

    @Test
    void vectorIsCopiedOnTheWayInAndOut() {
        double[] vec = {1.0, 2.0, 3.0};
        Coordinate c = new Coordinate(vec, 5.0, 10.0, 4.2);

        vec[0] = 99.0;
        c.vec()[1] = 99.0;

        assertThat(c.vec()).containsExactly(1.0, 2.0, 3.0);
        assertThat(c).isEqualTo(new Coordinate(new double[] {1.0, 2.0, 3.0}, 5.0, 10.0, 4.2));
        assertThat(c).isNotEqualTo(c.withVec(new double[] {1.5, 2.0, 3.0}));
        assertThat(c.hashCode())
                .isEqualTo(new Coordinate(new double[] {1.0, 2.0, 3.0}, 5.0, 10.0, 4.2).hashCode());
    }

    @Test
    void anyNanOrInfiniteComponentMakesTheCoordinateInvalid() {
        Coordinate c = Coordinate.origin(CoordinateConfig.defaults());
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            for (int i = 0; i < c.dimensionality(); i++) {
                double[] vec = c.vec();
                vec[i] = bad;
                assertThat(c.withVec(vec).isValid()).as("vec[%d] = %s", i, bad).isFalse();
            }
            assertThat(c.withError(bad).isValid()).as("error = %s", bad).isFalse();
            assertThat(c.withAdjustment(bad).isValid()).as("adjustment = %s", bad).isFalse();
            assertThat(c.withHeight(bad).isValid()).as("height = %s", bad).isFalse();
        }
    }

    @Test
    void coordinatesAreCompatibleOnlyWithTheSameDimensionality() {
        Coordinate c1 = Coordinate.origin(FLAT_3D);
        Coordinate c2 = Coordinate.origin(FLAT_3D);
        Coordinate alien = Coordinate.origin(FLAT_3D.withDimensionality(2));

        assertThat(c1.isCompatibleWith(c1)).isTrue();
        assertThat(c1.isCompatibleWith(c2)).isTrue();
        assertThat(alien.isCompatibleWith(alien)).isTrue();
        assertThat(c1.isCompatibleWith(alien)).isFalse();
        assertThat(alien.isCompatibleWith(c2)).isFalse();
    }

    @Test
    void forceMovesAlongTheLineBetweenTheTwoPoints() {
        Coordinate origin = Coordinate.origin(FLAT_3D);
        Coordinate above = origin.withVec(new double[] {0.0, 0.0, 2.9});

        // A positive force pushes away from the other point, by exactly the force.
        Coordinate c = origin.applyForce(FLAT_3D, 5.3, above, NO_RANDOMNESS);
        assertVec(c.vec(), 0.0, 0.0, -5.3);

        // Nothing special about the origin.
        Coordinate right = origin.withVec(new double[] {3.4, 0.0, -5.3});
        c = c.applyForce(FLAT_3D, 2.0, right, NO_RANDOMNESS);
        assertVec(c.vec(), -2.0, 0.0, -5.3);
    }

    @Test
    void forceOnCoincidentPointsPushesOneUnitInARandomDirection() {
        Coordinate origin = Coordinate.origin(FLAT_3D);

        Coordinate c = origin.applyForce(FLAT_3D, 1.0, origin, new SplittableRandom(7));
        Coordinate again = origin.applyForce(FLAT_3D, 1.0, origin, new SplittableRandom(7));
        Coordinate other = origin.applyForce(FLAT_3D, 1.0, origin, new SplittableRandom(8));

        assertThat(origin.distanceSecondsTo(c)).isCloseTo(1.0, within(1e-6));
        assertThat(again).as("same seed, same direction").isEqualTo(c);
        assertThat(other.vec()).as("another seed, another direction").isNotEqualTo(c.vec());
        assertThat(c.height()).as("no distance to scale the height by").isEqualTo(0.0);
    }

    @Test
    void forceScalesTheHeightAndKeepsItAboveTheMinimum() {
        CoordinateConfig config = FLAT_3D.withHeightMin(10.0e-6);
        Coordinate origin = Coordinate.origin(config);
        Coordinate above = origin.withVec(new double[] {0.0, 0.0, 2.9}).withHeight(0.0);

        Coordinate pushed = origin.applyForce(config, 5.3, above, NO_RANDOMNESS);
        assertVec(pushed.vec(), 0.0, 0.0, -5.3);
        assertThat(pushed.height()).isCloseTo(10.0e-6 + 5.3 * 10.0e-6 / 2.9, within(1e-12));

        Coordinate pulled = origin.applyForce(config, -5.3, above, NO_RANDOMNESS);
        assertVec(pulled.vec(), 0.0, 0.0, 5.3);
        assertThat(pulled.height()).isEqualTo(10.0e-6);
    }

    @Test
    void distanceAddsHeightsAndPositiveAdjustments() {
        Coordinate c1 = Coordinate.origin(FLAT_3D).withVec(new double[] {-0.5, 1.3, 2.4});
        Coordinate c2 = Coordinate.origin(FLAT_3D).withVec(new double[] {1.2, -2.3, 3.4});
        double euclidean = 4.104875150354758;

        assertThat(c1.distanceSecondsTo(c1)).isEqualTo(0.0);
        assertThat(c1.distanceTo(c2)).isEqualTo(c2.distanceTo(c1));
        assertThat(c1.distanceSecondsTo(c2)).isCloseTo(euclidean, within(1e-12));

        // An adjustment that would make the distance negative is ignored.
        c1 = c1.withAdjustment(-1.0e6);
        assertThat(c1.distanceSecondsTo(c2)).isCloseTo(euclidean, within(1e-12));

        c1 = c1.withAdjustment(0.1);
        c2 = c2.withAdjustment(0.2);
        assertThat(c1.distanceSecondsTo(c2)).isCloseTo(euclidean + 0.3, within(1e-12));

        c1 = c1.withHeight(0.7);
        c2 = c2.withHeight(0.1);
        assertThat(c1.distanceSecondsTo(c2)).isCloseTo(euclidean + 0.3 + 0.8, within(1e-12));
        assertThat(c1.rawDistanceTo(c2)).as("raw distance has no adjustments")
                .isCloseTo(euclidean + 0.8, within(1e-12));
    }

    @Test
    void distanceIsTruncatedToWholeNanosecondsLikeGo() {
        Coordinate origin = Coordinate.origin(FLAT_3D);
        Coordinate c = origin.withVec(new double[] {0.0, 0.0, 12.345});

        assertThat(origin.distanceTo(c)).isEqualTo(Duration.ofNanos((long) (12.345 * 1e9)));
        assertThat(origin.distanceTo(origin.withVec(new double[] {0, 0, 1.9e-9})))
                .isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void goSecondsSplitsWholeSecondsFromTheRemainderLikeGo() {
        assertThat(Coordinate.goSeconds(Duration.ofMillis(1500))).isEqualTo(1.5);
        assertThat(Coordinate.goSeconds(Duration.ofMillis(-1500))).isEqualTo(-1.5);
        assertThat(Coordinate.goSeconds(Duration.ofNanos(1_737_000))).isEqualTo(0.001737);
    }

    @Test
    void mismatchedDimensionsAreRefused() {
        Coordinate c = Coordinate.origin(FLAT_3D);
        Coordinate bad = Coordinate.origin(FLAT_3D.withDimensionality(4));

        assertThatThrownBy(() -> c.distanceTo(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensionality");
        assertThatThrownBy(() -> c.applyForce(FLAT_3D, 1.0, bad, NO_RANDOMNESS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vectorHelpersDoPlainArithmetic() {
        double[] a = {1.0, -3.0, 3.0};
        double[] b = {-4.0, 5.0, 6.0};
        double[] zero = {0.0, 0.0, 0.0};

        assertThat(VectorMath.add(a, b)).containsExactly(-3.0, 2.0, 9.0);
        assertThat(VectorMath.add(a, zero)).containsExactly(a);
        assertThat(VectorMath.diff(a, b)).containsExactly(5.0, -8.0, -3.0);
        assertThat(VectorMath.mul(a, 2.0)).containsExactly(2.0, -6.0, 6.0);
        assertThat(VectorMath.magnitude(zero)).isEqualTo(0.0);
        assertThat(VectorMath.magnitude(new double[] {1.0, -2.0, 3.0}))
                .isCloseTo(3.7416573867739413, within(1e-12));
    }

    @Test
    void unitVectorPointsFromTheSecondPointToTheFirst() {
        double[] from = {1.0, 2.0, 3.0};
        double[] to = {0.5, 0.6, 0.7};

        VectorMath.Direction d = VectorMath.unitVectorAt(NO_RANDOMNESS, from, to);

        assertVec(d.unit(), 0.18257418583505536, 0.511207720338155, 0.8398412548412546);
        assertThat(d.magnitude()).isEqualTo(VectorMath.magnitude(VectorMath.diff(from, to)));
    }

    @Test
    void unitVectorBetweenEqualPointsIsRandomWithZeroDistance() {
        double[] p = {1.0, 2.0, 3.0};

        VectorMath.Direction d = VectorMath.unitVectorAt(new SplittableRandom(1), p, p);

        assertThat(VectorMath.magnitude(d.unit())).isCloseTo(1.0, within(1e-12));
        assertThat(d.magnitude()).isEqualTo(0.0);
    }

    @Test
    void unitVectorFallsBackToTheFirstAxisWhenTheRandomDrawIsZeroToo() {
        // nextDouble() == 0.5 exactly, so every component of the random draw is 0.
        RandomGenerator alwaysHalf = () -> Long.MIN_VALUE;
        double[] p = {1.0, 2.0, 3.0};

        VectorMath.Direction d = VectorMath.unitVectorAt(alwaysHalf, p, p);

        assertThat(d.unit()).containsExactly(1.0, 0.0, 0.0);
        assertThat(d.magnitude()).isEqualTo(0.0);
    }

    static void assertVec(double[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("component %d", i).isCloseTo(expected[i], within(1e-6));
        }
    }
}
