package dev.gossip.core.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a stream stops being read and for how long; timing with real sockets is elsewhere. */
class TrickleThrottleTest {

    private final TransportCounters counters = new TransportCounters(reason -> { });
    private final EmbeddedChannel channel = new EmbeddedChannel(new TrickleThrottle(counters));

    @BeforeEach
    void freezeTime() {
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aReadOfAFewBytesPausesReadingForTenMilliseconds() {
        read(TrickleThrottle.FEW_BYTES - 1);
        assertThat(reading()).isFalse();

        assertThat(millisUntilResumed()).isEqualTo(10);
        assertThat(counters.snapshot().streamReadPauses()).isEqualTo(1);
        assertThat(channel.inboundMessages()).as("bytes passed on").hasSize(1);
    }

    @Test
    void aReadOfASegmentDoesNotPause() {
        read(TrickleThrottle.FEW_BYTES);

        assertThat(reading()).isTrue();
        assertThat(counters.snapshot().streamReadPauses()).isZero();
    }

    @Test
    void buffersOfOneReadCountTogether() {
        int half = TrickleThrottle.FEW_BYTES / 2;
        channel.writeInbound(Unpooled.buffer().writeZero(half), Unpooled.buffer().writeZero(half));

        assertThat(reading()).isTrue();
    }

    @Test
    void pausesDoubleWhileTheStreamKeepsTricklingUpToTheCap() {
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            read(1);
            pauses.add(millisUntilResumed());
            read(64 * 1024); // what piled up meanwhile: no pause, and no reset
        }

        assertThat(pauses).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 640L, 640L);
    }

    @Test
    void closingCancelsTheResume() {
        read(1);

        channel.close();

        assertThat(channel.runScheduledPendingTasks()).as("nothing left scheduled").isEqualTo(-1);
    }

    private void read(int bytes) {
        channel.writeInbound(Unpooled.buffer(bytes).writeZero(bytes));
    }

    private boolean reading() {
        return channel.config().isAutoRead();
    }

    /** Advances the clock a millisecond at a time until the channel reads again. */
    private long millisUntilResumed() {
        long millis = 0;
        while (!reading()) {
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            millis++;
            assertThat(millis).as("resumed within the longest pause")
                    .isLessThanOrEqualTo(TrickleThrottle.MAX_PAUSE_MILLIS);
        }
        return millis;
    }
}
