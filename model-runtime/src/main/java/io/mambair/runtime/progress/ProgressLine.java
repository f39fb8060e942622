package io.mambair.runtime.progress;

import java.time.Duration;

/** The text of one progress report: output megapixels done of total, images done, pixel rate and an ETA from that rate. */
public final class ProgressLine {
    private ProgressLine() {}

    /** "2.41/5.90 MP (40.8%), images 0/1, 0.210 MP/s, ETA 0:00:17"; the image count is left out when {@code imagesTotal} is negative. */
    public static String format(long pixelsDone, long pixelsTotal, long imagesDone, long imagesTotal, Duration elapsed) {
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        double rate = pixelsDone / seconds;
        String eta = pixelsDone <= 0 ? "unknown" : clock(Math.round((pixelsTotal - pixelsDone) / rate));
        String images = imagesTotal < 0 ? "" : String.format(", images %d/%d", imagesDone, imagesTotal);
        return String.format("%.2f/%.2f MP (%.1f%%)%s, %.3f MP/s, ETA %s", pixelsDone / 1e6, pixelsTotal / 1e6,
                pixelsTotal == 0 ? 100.0 : 100.0 * pixelsDone / pixelsTotal, images, rate / 1e6, eta);
    }

    private static String clock(long s) {
        s = Math.max(0, s);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
