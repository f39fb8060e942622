package io.mambair.job.progress;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reports the restore stage's progress on the driver: images done of total, output megapixels per
 * second and an ETA, logged every interval from the accumulators the tasks update (they reach the
 * driver as tasks finish). The same line becomes the description of the next Spark job submitted.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private final SparkContext sc;
    private final long totalImages;
    private final long totalPixels;
    private final LongAccumulator images;
    private final LongAccumulator pixels;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mambair-progress");
        t.setDaemon(true);
        return t;
    });

    public ProgressReporter(SparkContext sc, long totalImages, long totalPixels, int intervalSeconds) {
        this.sc = sc;
        this.totalImages = totalImages;
        this.totalPixels = totalPixels;
        this.images = sc.longAccumulator("mambair images done");
        this.pixels = sc.longAccumulator("mambair output pixels done");
        timer.scheduleAtFixedRate(() -> LOG.info(line()), intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    public LongAccumulator images() { return images; }
    public LongAccumulator pixels() { return pixels; }

    /** "images 12/100 (12.0%), 3.41 MP/s, ETA 0:01:23". */
    public String line() {
        return format(images.value(), totalImages, pixels.value(), totalPixels, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** The progress line for the given counts and elapsed time (the ETA extrapolates the pixel rate). */
    public static String format(long done, long total, long pixelsDone, long pixelsTotal, Duration elapsed) {
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        double mps = pixelsDone / 1e6 / seconds;
        String eta = pixelsDone <= 0 ? "unknown" : clock(Math.round((pixelsTotal - pixelsDone) / (pixelsDone / seconds)));
        return String.format("images %d/%d (%.1f%%), %.2f MP/s, ETA %s", done, total,
                total == 0 ? 100.0 : 100.0 * done / total, mps, eta);
    }

    private static String clock(long s) {
        s = Math.max(0, s);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        LOG.info("mambair restore finished: {}", line());
    }
}
