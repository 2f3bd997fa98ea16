package dev.gossip.core.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineChartTest {

    @Test
    void axesEndAtARoundNumberWhoseFifthsAreRound() {
        assertThat(LineChart.niceCeiling(7)).isEqualTo(10);
        assertThat(LineChart.niceCeiling(12.5)).isEqualTo(20);
        assertThat(LineChart.niceCeiling(100)).isEqualTo(100);
        assertThat(LineChart.niceCeiling(0.83)).isEqualTo(1);
        assertThat(LineChart.niceCeiling(2.2)).isEqualTo(2.5);
        assertThat(LineChart.niceCeiling(0)).isEqualTo(1);
    }

    @Test
    void drawsEachSeriesAsAStepPathWithItsLegend() {
        String svg = new LineChart("t <1>", "x", "y")
                .series("a", new double[] {0, 5, 10}, new double[] {0, 50, 100})
                .cdf("b", "#000", true, new double[] {3, 1, 2})
                .svg();
        // 10 × 100 fits the plot exactly: x 10 is the right edge (64 + 640), y 100 the top (40).
        assertThat(svg).contains("<path d=\"M64.0 344.0 H384.0 V192.0 H704.0 V40.0\"")
                .contains(">a</text>").contains(">b</text>").contains("stroke-dasharray")
                .contains("t &lt;1&gt;").startsWith("<svg").endsWith("</svg>\n");
    }

    @Test
    void refusesSeriesOfUnequalLength() {
        assertThatThrownBy(() -> new LineChart("t", "x", "y").series("a", new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x values but 3");
    }
}
