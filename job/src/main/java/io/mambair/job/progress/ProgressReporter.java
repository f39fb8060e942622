package io.mambair.job.progress;

import io.mambair.runtime.progress.ProgressPrinter;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports the restore stage's progress on the driver in output pixels: the tasks add the pixels of every
 * finished tile batch to an accumulator; running tasks' values reach the driver with executor heartbeats
 * (read here from the listener bus), finished tasks' values through the accumulator. Printed every
 * interval with the pixel rate and an ETA from it ({@link ProgressPrinter}).
 */
public final class ProgressReporter extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private final SparkContext sc;
    private final LongAccumulator images;
    private final LongAccumulator pixels;
    private final Map<Long, Long> runningPixels = new ConcurrentHashMap<>();
    private final Map<Long, Long> runningImages = new ConcurrentHashMap<>();
    private final ProgressPrinter printer;
    private long shownPixels;

    /** Starts reporting; {@code terminal} allows a single line rewritten in place when the process has a terminal. */
    public ProgressReporter(SparkContext sc, long totalImages, long totalPixels, int intervalSeconds, boolean terminal) {
        this.sc = sc;
        this.images = sc.longAccumulator("mambair images done");
        this.pixels = sc.longAccumulator("mambair output pixels done");
        sc.addSparkListener(this);
        this.printer = terminal
                ? ProgressPrinter.start("restore: ", totalPixels, totalImages, this::pixelsDone, this::imagesDone, intervalSeconds, LOG::info)
                : ProgressPrinter.lines("restore: ", totalPixels, totalImages, this::pixelsDone, this::imagesDone, intervalSeconds, LOG::info);
    }

    /** Images finished (restored, failed or skipped), to be added by the tasks. */
    public LongAccumulator images() { return images; }

    /** Output pixels of finished tile batches, to be added by the tasks. */
    public LongAccumulator pixels() { return pixels; }

    /** The current progress line. */
    public String line() { return printer.line(); }

    /** Output pixels done, never going backwards (a finished task's value may be counted in both places for a moment). */
    private synchronized long pixelsDone() {
        shownPixels = Math.max(shownPixels, pixels.value() + runningPixels.values().stream().mapToLong(Long::longValue).sum());
        return shownPixels;
    }

    private long imagesDone() {
        return images.value() + runningImages.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        // typed loosely: the Seq types differ between Scala 2.12 (Spark 3.5) and 2.13 (Spark 4), both are Iterables
        scala.collection.Iterator<?> it = update.accumUpdates().iterator();
        while (it.hasNext()) {
            Tuple4<?, ?, ?, ?> task = (Tuple4<?, ?, ?, ?>) it.next();
            long taskId = (Long) task._1();
            scala.collection.Iterator<?> infos = ((scala.collection.Iterable<?>) task._4()).iterator();
            while (infos.hasNext()) {
                AccumulableInfo info = (AccumulableInfo) infos.next();
                if (info.update().isEmpty() || !(info.update().get() instanceof Long value)) continue;
                if (info.id() == pixels.id()) runningPixels.put(taskId, value);
                if (info.id() == images.id()) runningImages.put(taskId, value);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        runningPixels.remove(end.taskInfo().taskId());
        runningImages.remove(end.taskInfo().taskId());
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
        printer.close();
    }
}
