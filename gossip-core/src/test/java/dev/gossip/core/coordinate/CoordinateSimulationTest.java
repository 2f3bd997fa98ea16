package dev.gossip.core.coordinate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.wire.MalformedMessageException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole clusters converging on known RTTs, after Serf's performance_test.go: every cycle each
 * node probes one random peer, learns its coordinate from the ack (through the codec, as on the
 * wire) and the true RTT. Seeded, so every run computes the same numbers.
 */
class CoordinateSimulationTest {

    private static final CoordinateConfig CONFIG = CoordinateConfig.defaults();

    @Test
    void sixteenNodesOnALineLearnTheirDistances() {
        Cluster cluster = new Cluster(CONFIG, lineTruth(16, 0.010), 1);

        cluster.simulate(2000);

        Stats stats = cluster.evaluate();
        assertThat(stats.average).as("average relative error, %s", stats).isLessThan(0.05);
        assertThat(stats.max).as("max relative error, %s", stats).isLessThan(0.25);
    }

    @Test
    void aFiveByFiveGridLearnsItsDistances() {
        Cluster cluster = new Cluster(CONFIG, gridTruth(25, 0.010), 2);

        cluster.simulate(2000);

        Stats stats = cluster.evaluate();
        assertThat(stats.average).as("average relative error, %s", stats).isLessThan(0.05);
        assertThat(stats.max).as("max relative error, %s", stats).isLessThan(0.25);
    }

    @Test
    void twoDataCentresAreToldApart() {
        Cluster cluster = new Cluster(CONFIG, splitTruth(24, 0.001, 0.010), 3);

        cluster.simulate(1000);

        Stats stats = cluster.evaluate();
        assertThat(stats.average).as("average relative error, %s", stats).isLessThan(0.05);
        assertThat(stats.max).as("max relative error, %s", stats).isLessThan(0.30);
    }

    @Test
    void aNodeEquidistantFromARingRisesInHeight() {
        // Two dimensions hold the ring exactly; node 0 is "above" it, 2 x radius from everyone.
        double radius = 0.100;
        CoordinateConfig flat = CONFIG.withDimensionality(2);
        Cluster cluster = new Cluster(flat, circleTruth(25, radius), 4);

        cluster.simulate(1000);

        assertThat(cluster.clients[0].getCoordinate().height())
                .as("height of the centre node").isGreaterThan(0.9 * radius);
        for (int i = 1; i < cluster.clients.length; i++) {
            assertThat(cluster.clients[i].getCoordinate().height())
                    .as("height of ring node %d", i).isLessThan(0.1 * radius);
        }
        Stats stats = cluster.evaluate();
        assertThat(stats.average).as("average relative error, %s", stats).isLessThan(0.05);
    }

    @Test
    void jitterAndRareSpikesStillGiveUsefulEstimates() {
        Cluster cluster = new Cluster(CONFIG, gridTruth(16, 0.020), 5);
        cluster.jitter = 0.10;
        cluster.spikeProbability = 0.01;

        cluster.simulate(3000);

        Stats stats = cluster.evaluate();
        assertThat(stats.average).as("average relative error, %s", stats).isLessThan(0.10);
        assertThat(cluster.totalResets()).isZero();
    }

    @Test
    void theMedianFilterKeepsSlowProbesFromScatteringTheCluster() {
        Stats filtered = spikyGrid(CONFIG);
        Stats unfiltered = spikyGrid(CONFIG.withLatencyFilterSize(1));

        assertThat(filtered.average).as("with Serf's 3-sample median, %s", filtered)
                .isLessThan(0.05);
        assertThat(unfiltered.average).as("without a filter, %s", unfiltered)
                .isGreaterThan(3 * filtered.average);
    }

    /** A 4 x 4 grid where 2 % of probes take ten times longer. */
    private static Stats spikyGrid(CoordinateConfig config) {
        Cluster cluster = new Cluster(config, gridTruth(16, 0.020), 5);
        cluster.jitter = 0.05;
        cluster.spikeProbability = 0.02;
        cluster.simulate(3000);
        return cluster.evaluate();
    }

    /** Summary of |estimate - truth| / truth over all pairs. */
    record Stats(double average, double max) {
    }

    /** N clients, the true RTT matrix in seconds, and the random source driving the probes. */
    private static final class Cluster {
        final CoordinateClient[] clients;
        final double[][] truth;
        final SplittableRandom random;
        /** Relative noise added to each measured RTT (uniform, +/-). */
        double jitter;
        /** Chance that a probe is delayed by a 10x spike (a GC pause, a retransmit). */
        double spikeProbability;

        Cluster(CoordinateConfig config, double[][] truth, long seed) {
            this.truth = truth;
            this.random = new SplittableRandom(seed);
            this.clients = new CoordinateClient[truth.length];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = new CoordinateClient(config, random.split());
            }
        }

        void simulate(int cycles) {
            for (int cycle = 0; cycle < cycles; cycle++) {
                for (int i = 0; i < clients.length; i++) {
                    int j = random.nextInt(clients.length);
                    if (j != i) {
                        clients[i].update("node-" + j, overTheWire(clients[j].getCoordinate()),
                                Duration.ofNanos((long) (measure(i, j) * 1e9)));
                    }
                }
            }
        }

        private double measure(int i, int j) {
            double rtt = truth[i][j] * (1.0 + jitter * (2.0 * random.nextDouble() - 1.0));
            if (random.nextDouble() < spikeProbability) {
                rtt *= 10;
            }
            return rtt;
        }

        Stats evaluate() {
            double sum = 0;
            double max = 0;
            int pairs = 0;
            for (int i = 0; i < clients.length; i++) {
                for (int j = i + 1; j < clients.length; j++) {
                    double estimate = Coordinate.goSeconds(
                            clients[i].distanceTo(clients[j].getCoordinate()));
                    double error = Math.abs(estimate - truth[i][j]) / truth[i][j];
                    sum += error;
                    max = Math.max(max, error);
                    pairs++;
                }
            }
            return new Stats(sum / pairs, max);
        }

        long totalResets() {
            long resets = 0;
            for (CoordinateClient c : clients) {
                resets += c.stats().resets();
            }
            return resets;
        }

        private static Coordinate overTheWire(Coordinate c) {
            try {
                return CoordinateCodec.decode(CoordinateCodec.encode(c));
            } catch (MalformedMessageException e) {
                throw new AssertionError("own encoding rejected", e);
            }
        }
    }

    /** Nodes evenly spaced on a line. */
    static double[][] lineTruth(int nodes, double spacing) {
        double[][] truth = new double[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < nodes; j++) {
                truth[i][j] = Math.abs(i - j) * spacing;
            }
        }
        return truth;
    }

    /** Nodes on a square grid, row by row. */
    static double[][] gridTruth(int nodes, double spacing) {
        int side = (int) Math.sqrt(nodes);
        double[][] truth = new double[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < nodes; j++) {
                double dx = i % side - j % side;
                double dy = i / side - j / side;
                truth[i][j] = Math.sqrt(dx * dx + dy * dy) * spacing;
            }
        }
        return truth;
    }

    /** Two sites: {@code lan} within a site, {@code lan + wan} across. */
    static double[][] splitTruth(int nodes, double lan, double wan) {
        double[][] truth = new double[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < nodes; j++) {
                if (i != j) {
                    truth[i][j] = (i < nodes / 2) == (j < nodes / 2) ? lan : lan + wan;
                }
            }
        }
        return truth;
    }

    /** Nodes 1..n-1 on a circle; node 0 at twice the radius from all of them. */
    static double[][] circleTruth(int nodes, double radius) {
        double[][] truth = new double[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = i + 1; j < nodes; j++) {
                double rtt;
                if (i == 0) {
                    rtt = 2 * radius;
                } else {
                    double t1 = 2.0 * Math.PI * i / nodes;
                    double t2 = 2.0 * Math.PI * j / nodes;
                    double dx = Math.cos(t2) - Math.cos(t1);
                    double dy = Math.sin(t2) - Math.sin(t1);
                    rtt = Math.sqrt(dx * dx + dy * dy) * radius;
                }
                truth[i][j] = rtt;
                truth[j][i] = rtt;
            }
        }
        return truth;
    }
}
