package io.mambair.job.progress;

import io.mambair.job.RepositoryFiles;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import io.mambair.udfs.codec.ImageFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import io.mambair.udfs.codec.DecodedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Progress of a running multi-megapixel restore reaches the driver while the task runs: a Spark task restores
 * a real photo (three times, so that even a fast CPU gives several samples) with the demo model, adding each tile batch's output pixels to the reporter's accumulator as
 * the job's tasks do; the driver's line, read every interval, moves every time and its ETA falls.
 */
@Slow
class ProgressReporterTest {
    /** Restores of the photo in the one task: enough work for several samples on a fast CPU too. */
    static final int RESTORES = 3;
    /** The driver reads its line this often; executors heartbeat every second. */
    static final long SAMPLE_MS = 2500;
    static final Pattern LINE = Pattern.compile("restore: ([0-9.]+)/([0-9.]+) MP .* ETA (?:(\\d+):(\\d\\d):(\\d\\d)|unknown)$");

    @Test
    void pixelsMoveEveryIntervalWhileATaskRestoresAPhotoAndTheEtaFalls(@TempDir Path tmp) throws Exception {
        Path photo = croppedPhoto(tmp);
        String modelPath = RepositoryFiles.quickstartModel().toString();
        String photoPath = photo.toString();
        long perRestore = ImageFiles.read(photo, ImageFiles.DEFAULT_MAX_PIXELS).color().pixels() * 4;
        long total = perRestore * RESTORES;
        SparkSession spark = SparkSession.builder().master("local[1]").appName("progress")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.heartbeatInterval", "1s").getOrCreate();
        List<String> lines = new ArrayList<>();
        try (ProgressReporter reporter = new ProgressReporter(spark.sparkContext(), 1, total, 4, false)) {
            LongAccumulator pixels = reporter.pixels();
            CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(List.of(0), 1).map(i -> {
                        PlanarImage img = ImageFiles.read(Path.of(photoPath), ImageFiles.DEFAULT_MAX_PIXELS).color();
                        long done = 0;
                        for (int r = 0; r < RESTORES; r++) {
                            done += SharedRuntime.get(ResolvedModel.resolve(Path.of(modelPath)), Device.cpu())
                                    .withTileProgress(pixels::add)
                                    .restore(img, new RestoreOptions(TileMode.BLEND, 64, 16, 1, false)).pixels();
                        }
                        return done;
                    }).first());
            while (!job.isDone()) {
                Thread.sleep(SAMPLE_MS);
                if (!job.isDone()) lines.add(reporter.line());
            }
            assertEquals(total, job.get());
        } finally {
            spark.stop();
        }
        System.out.println(String.join("\n", lines));
        List<long[]> points = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertTrue(m.find(), l);
            long eta = m.group(3) == null ? -1 : Long.parseLong(m.group(3)) * 3600 + Long.parseLong(m.group(4)) * 60 + Long.parseLong(m.group(5));
            points.add(new long[] {Math.round(Double.parseDouble(m.group(1)) * 100), eta});
        }
        // The task first builds its session; from its first tile batch on, every line must have moved.
        List<long[]> moving = points.stream().filter(p -> p[0] > 0).toList();
        assertTrue(moving.size() >= 3, "progress lines with pixels done: " + lines);
        assertTrue(points.subList(points.size() - moving.size(), points.size()).equals(moving), "no line at 0 after the first move: " + lines);
        for (int i = 1; i < moving.size(); i++) {
            assertTrue(moving.get(i)[0] > moving.get(i - 1)[0], "pixels moved between lines " + (i - 1) + " and " + i + ": " + lines);
        }
        assertTrue(moving.get(moving.size() - 1)[1] < moving.get(0)[1], "ETA fell: " + lines);
        long falling = 0;
        for (int i = 1; i < moving.size(); i++) if (moving.get(i)[1] <= moving.get(i - 1)[1]) falling++;
        assertTrue(falling >= (moving.size() - 1) * 2 / 3, "ETA fell at most steps: " + lines);
    }

    /** The centre 1600x1200 of a real photo (7.7 MP out at x2), as PNG: many seconds of restore on the CPU. */
    private static Path croppedPhoto(Path tmp) throws Exception {
        PlanarImage full = ImageFiles.read(SharedData.require("data/photos/plasma_Path_2560x1600.jpg"), ImageFiles.DEFAULT_MAX_PIXELS).color();
        int h = 1200, w = 1600, y0 = (full.height() - h) / 2, x0 = (full.width() - w) / 2;
        PlanarImage crop = PlanarImage.zeros(3, h, w);
        for (int c = 0; c < 3; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) crop.set(c, y, x, full.get(c, y0 + y, x0 + x));
        Path png = tmp.resolve("photo_crop.png");
        ImageFiles.write(png, new DecodedImage(crop, null, 8, "png"), 95);
        return png;
    }
}
