package io.mambair.runtime.progress;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The progress text: the ETA is the remaining pixels at the pixel rate so far. */
class ProgressLineTest {
    @Test
    void etaExtrapolatesThePixelRate() {
        // 2.5 MP in 10 s = 0.25 MP/s; 7.5 MP left -> 30 s.
        assertEquals("2.50/10.00 MP (25.0%), images 1/4, 0.250 MP/s, ETA 0:00:30",
                ProgressLine.format(2_500_000, 10_000_000, 1, 4, Duration.ofSeconds(10)));
        // 1 MP in 100 s = 0.01 MP/s; 39 MP left -> 3900 s = 1:05:00; no image count for one image.
        assertEquals("1.00/40.00 MP (2.5%), 0.010 MP/s, ETA 1:05:00",
                ProgressLine.format(1_000_000, 40_000_000, 0, -1, Duration.ofSeconds(100)));
    }

    @Test
    void nothingDoneYetHasNoEta() {
        assertEquals("0.00/3.00 MP (0.0%), images 0/1, 0.000 MP/s, ETA unknown",
                ProgressLine.format(0, 3_000_000, 0, 1, Duration.ofSeconds(4)));
    }
}
