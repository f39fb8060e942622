package io.mambair.job.bench;

import io.mambair.job.JobOptions;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileMode;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.resize.Crop;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Measures the Spark job's overhead: output megapixels per second of a whole job run (listing,
 * headers, restore, encode, atomic writes, tables) against the bare runtime restoring the same
 * decoded images in a loop with a warm session. Images are top-left crops of the colour photos of a folder, so
 * the numbers are comparable across machines.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true, description = "Job throughput vs the bare runtime.")
public final class ThroughputBenchmark implements Callable<Integer> {
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--photos", required = true) Path photos;
    @Option(names = "--crop", defaultValue = "256", description = "Crop side in pixels (default ${DEFAULT-VALUE}).") int crop;
    @Option(names = "--master", defaultValue = "local[*]") String master;
    @Option(names = "--device", defaultValue = "cpu") String device;
    @Option(names = "--tile-mode", defaultValue = "whole") String tileMode;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("mambair-bench");
        Path in = Files.createDirectories(work.resolve("in"));
        List<PlanarImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(photos)) {
            for (Path p : files.filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png)")).sorted().toList()) {
                DecodedImage d = ImageDecoder.decode(Files.readAllBytes(p), p.toString(), Long.MAX_VALUE);
                if (d.color().channels() != 3) continue;
                PlanarImage c = Crop.topLeft(d.color(), Math.min(crop, d.height()), Math.min(crop, d.width()));
                images.add(c);
                Files.write(in.resolve(p.getFileName().toString().replaceAll("\\.\\w+$", ".png")),
                        ImageEncoder.encode(DecodedImage.of(c, 8, "png"), "png", 95));
            }
        }
        ResolvedModel resolved = ResolvedModel.resolve(model);
        Restorer restorer = SharedRuntime.get(resolved, Device.parse(device));
        RestoreOptions options = new RestoreOptions(TileMode.parse(tileMode), 64, 16, 1, false);
        restorer.restore(images.get(0), options);
        long t0 = System.nanoTime();
        long pixels = 0;
        for (PlanarImage img : images) pixels += restorer.restore(img, options).pixels();
        double bare = pixels / 1e6 / ((System.nanoTime() - t0) / 1e9);

        SparkSession spark = SparkSession.builder().master(master).appName("mambair-bench").config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<String> set = List.of("model.path=\"" + model.toAbsolutePath() + "\"", "input.path=\"" + in + "\"",
                    "output.path=\"" + work.resolve("out") + "\"", "restore.tile-mode=" + tileMode, "restore.device=" + device,
                    "output.mode=overwrite");
            MambairJob.run(spark, new JobOptions(null, null, set));  // warm-up: sessions built, JIT warm
            RunSummary run = MambairJob.run(spark, new JobOptions(null, null, set));
            double job = run.counts().outputPixels() / 1e6 / run.wallSeconds();
            System.out.printf("images %d (%dx%d crops), bare runtime %.3f MP/s, job %.3f MP/s (wall %.1f s, master %s): %.1f%% of bare%n",
                    images.size(), crop, crop, bare, job, run.wallSeconds(), master, 100 * job / bare);
        } finally {
            spark.stop();
        }
        return 0;
    }
}
