package dev.gossip.core.coordinate;

import static dev.gossip.core.coordinate.CoordinateTest.NO_RANDOMNESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One node's Vivaldi state, after Serf's client_test.go. */
class CoordinateClientTest {

    private static final CoordinateConfig CONFIG_3D =
            CoordinateConfig.defaults().withDimensionality(3);

    @Test
    void configRejectsValuesTheAlgorithmCannotRunWith() {
        CoordinateConfig d = CoordinateConfig.defaults();
        assertThatThrownBy(() -> d.withDimensionality(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensionality");
        assertThatThrownBy(() -> d.withLatencyFilterSize(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withHeightMin(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreSerfs() {
        assertThat(CoordinateConfig.defaults())
                .isEqualTo(new CoordinateConfig(8, 1.5, 0.25, 0.25, 20, 1e-5, 3, 150.0));
    }

    @Test
    void freshClientSitsAtTheOrigin() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D.withDimensionality(7),
                NO_RANDOMNESS);

        assertThat(client.getCoordinate())
                .isEqualTo(Coordinate.origin(CONFIG_3D.withDimensionality(7)));
        assertThat(client.stats()).isEqualTo(new CoordinateClient.Stats(0, 0));
    }

    @Test
    void longerRttThanExpectedPushesTheNodeAway() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, new SplittableRandom(1));
        Coordinate above = Coordinate.origin(CONFIG_3D).withVec(new double[] {0.0, 0.0, 0.001});

        Coordinate c = client.update("node", above, Duration.ofNanos(2_000_000));

        assertThat(c.vec()[2]).as("z moves down, away from the node above").isNegative();
        assertThat(client.getCoordinate()).isEqualTo(c);
    }

    @Test
    void setCoordinateForcesAKnownState() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        Coordinate known = Coordinate.origin(CONFIG_3D).withVec(new double[] {0.0, 0.0, 99.0});

        client.setCoordinate(known);

        assertThat(client.getCoordinate().vec()[2]).isEqualTo(99.0);
    }

    @Test
    void distanceToUsesTheClientsCoordinate() {
        CoordinateConfig noHeight = CONFIG_3D.withHeightMin(0);
        CoordinateClient client = new CoordinateClient(noHeight, NO_RANDOMNESS);
        Coordinate other = Coordinate.origin(noHeight).withVec(new double[] {0.0, 0.0, 12.345});

        assertThat(client.distanceTo(other)).isEqualTo(Duration.ofNanos((long) (12.345 * 1e9)));
    }

    @Test
    void rttsOutsideZeroToTenSecondsAreRejectedWithoutChangingState() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        Coordinate other = Coordinate.origin(CONFIG_3D).withVec(new double[] {0.0, 0.0, 0.001});
        Duration before = client.distanceTo(other);

        for (Duration rtt : new Duration[] {Duration.ofNanos(Long.MAX_VALUE),
                Duration.ofSeconds(-35), Duration.ofSeconds(11), Duration.ofNanos(-1),
                CoordinateClient.MAX_RTT.plusNanos(1), Duration.ofDays(365_000_000)}) {
            assertThatThrownBy(() -> client.update("node", other, rtt)).as("rtt %s", rtt)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("round trip time not in valid range");
            assertThat(client.distanceTo(other)).isEqualTo(before);
        }
        assertThat(client.getCoordinate()).isEqualTo(Coordinate.origin(CONFIG_3D));
    }

    @Test
    void boundaryRttsAreAcceptedAndZeroIsCounted() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, new SplittableRandom(1));
        Coordinate other = Coordinate.origin(CONFIG_3D).withVec(new double[] {0.0, 0.0, 0.001});

        client.update("a", other, CoordinateClient.MAX_RTT);
        Coordinate c = client.update("b", other, Duration.ZERO);

        assertThat(c.isValid()).isTrue();
        assertThat(client.stats().zeroRtts()).isEqualTo(1);
    }

    @Test
    void invalidOrIncompatibleCoordinatesAreRejected() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        Duration rtt = Duration.ofMillis(250);
        Coordinate nan = Coordinate.origin(CONFIG_3D).withVec(new double[] {Double.NaN, 0, 0});
        Coordinate infiniteError = Coordinate.origin(CONFIG_3D)
                .withError(Double.POSITIVE_INFINITY);
        Coordinate sixDims = Coordinate.origin(CONFIG_3D.withDimensionality(6));

        for (Coordinate bad : new Coordinate[] {nan, infiniteError}) {
            assertThatThrownBy(() -> client.update("node", bad, rtt))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("coordinate is invalid");
            assertThatThrownBy(() -> client.setCoordinate(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("coordinate is invalid");
        }
        assertThatThrownBy(() -> client.update("node", sixDims, rtt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions aren't compatible");
        assertThatThrownBy(() -> client.setCoordinate(sixDims))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions aren't compatible");

        assertThat(client.getCoordinate()).isEqualTo(Coordinate.origin(CONFIG_3D));
    }

    @Test
    void coordinateThatOverflowsToNanIsResetToTheOrigin() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        // Finite, so accepted, but squaring it overflows: the update ends in NaN.
        client.setCoordinate(Coordinate.origin(CONFIG_3D)
                .withVec(new double[] {1e300, 1e300, 1e300}));

        Coordinate c = client.update("node", Coordinate.origin(CONFIG_3D), Duration.ofMillis(250));

        assertThat(c).isEqualTo(Coordinate.origin(CONFIG_3D));
        assertThat(client.stats().resets()).isEqualTo(1);
    }

    @Test
    void aSingleSlowProbeIsFilteredOutUntilTheNodeIsForgotten() {
        Coordinate peer = Coordinate.origin(CONFIG_3D).withVec(new double[] {0.002, 0.0, 0.0});
        CoordinateClient steady = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        CoordinateClient glitchy = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        for (int i = 0; i < 3; i++) {
            steady.update("peer", peer, Duration.ofMillis(3));
            glitchy.update("peer", peer, Duration.ofMillis(3));
        }

        steady.update("peer", peer, Duration.ofMillis(3));
        glitchy.update("peer", peer, Duration.ofMillis(900));
        assertThat(glitchy.getCoordinate()).as("median hides the glitch")
                .isEqualTo(steady.getCoordinate());

        glitchy.forgetNode("peer");
        steady.update("peer", peer, Duration.ofMillis(900));
        glitchy.update("peer", peer, Duration.ofMillis(900));
        assertThat(glitchy.getCoordinate()).as("a forgotten node's first sample counts alone")
                .isNotEqualTo(steady.getCoordinate());
    }

    @Test
    void consistentObservationsBuildConfidence() {
        CoordinateClient client = new CoordinateClient(CONFIG_3D, NO_RANDOMNESS);
        Coordinate peer = Coordinate.origin(CONFIG_3D).withVec(new double[] {0.010, 0.0, 0.0})
                .withError(0.2);

        for (int i = 0; i < 50; i++) {
            client.update("peer", peer, Duration.ofMillis(25));
        }

        assertThat(client.getCoordinate().error()).isLessThan(0.5);
        assertThat(Coordinate.goSeconds(client.distanceTo(peer))).isCloseTo(0.025,
                within(0.0025));
    }

    @Test
    void adjustmentStaysZeroWhenTheWindowIsDisabled() {
        CoordinateConfig d = CONFIG_3D;
        CoordinateConfig noWindow = new CoordinateConfig(d.dimensionality(), d.vivaldiErrorMax(),
                d.vivaldiCE(), d.vivaldiCC(), 0, d.heightMin(), d.latencyFilterSize(),
                d.gravityRho());
        CoordinateClient client = new CoordinateClient(noWindow, NO_RANDOMNESS);
        Coordinate peer = Coordinate.origin(noWindow).withVec(new double[] {0.010, 0.0, 0.0});

        for (int i = 0; i < 5; i++) {
            client.update("peer", peer, Duration.ofMillis(40));
        }

        assertThat(client.getCoordinate().adjustment()).isEqualTo(0.0);
    }
}
