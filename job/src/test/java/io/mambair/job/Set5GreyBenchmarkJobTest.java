package io.mambair.job;

import io.mambair.job.output.ImageRow;
import io.mambair.runtime.engine.Device;
import io.mambair.runtime.engine.SharedRuntime;
import io.mambair.runtime.image.PlanarImage;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.RestoreOptions;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TileMode;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import io.mambair.udfs.codec.DecodedImage;
import io.mambair.udfs.codec.ImageDecoder;
import io.mambair.udfs.codec.ImageEncoder;
import io.mambair.udfs.codec.Quantizer;
import io.mambair.udfs.restore.ImageRestore;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Set14-like benchmark: Set5 plus a grey copy of every image (made by OpenCV), restored by the job
 * in benchmark mode. Every row must be ok, and each image's metrics (grey ones included) and their
 * means must equal an independent BasicSR implementation (NumPy + OpenCV, colour imread) applied to
 * the reference and to the model's output for the same low-resolution file.
 */
@Slow
class Set5GreyBenchmarkJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    @ParameterizedTest(name = "Set5 + grey x{0}")
    @ValueSource(ints = {2, 4})
    void greyAndColourRowsAreOkAndScoredAsBasicsrScoresThem(int scale, @TempDir Path dir) throws Exception {
        Path set5 = SharedData.require("data/benchmarks/Set5");
        Path lr = Files.createDirectories(dir.resolve("lr"));
        Path hr = Files.createDirectories(dir.resolve("hr"));
        List<String> names;
        try (Stream<Path> s = Files.list(set5.resolve("HR"))) {
            names = s.map(p -> p.getFileName().toString().replace(".png", "")).sorted().toList();
        }
        List<Path[]> greys = new ArrayList<>();
        for (String n : names) {
            Path lrFile = set5.resolve("LR_bicubic/X" + scale + "/" + n + "x" + scale + ".png");
            Files.copy(lrFile, lr.resolve(n + "x" + scale + ".png"));
            Files.copy(set5.resolve("HR/" + n + ".png"), hr.resolve(n + ".png"));
            greys.add(new Path[] {lrFile, lr.resolve(n + "_greyx" + scale + ".png")});
            greys.add(new Path[] {set5.resolve("HR/" + n + ".png"), hr.resolve(n + "_grey.png")});
        }
        BasicsrReference.grey(greys);
        Path model = JobTestSupport.srModel(scale);
        Path out = dir.resolve("out");
        RunSummary run = MambairJob.run(spark, JobTestSupport.options(
                "mode=benchmark", "model.path=\"" + model + "\"", "input.path=\"" + lr + "\"",
                "benchmark.reference-path=\"" + hr + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=official",
                "restore.batch-size=4", "restore.device=cpu", "run-id=grey" + scale, "dataset=Set5grey"));
        assertEquals(10, run.counts().ok(), run.text());

        List<Row> rows = new ArrayList<>(spark.read().parquet(run.imagesTable()).collectAsList());
        rows.sort(java.util.Comparator.comparing(r -> r.<String>getAs("image_id")));
        Restorer restorer = SharedRuntime.get(ResolvedModel.resolve(model), Device.cpu());
        RestoreOptions official = new RestoreOptions(TileMode.OFFICIAL, 64, 16, 1, false);
        List<Path[]> pairs = new ArrayList<>();
        Path sr = Files.createDirectories(dir.resolve("sr"));
        for (Row r : rows) {
            assertEquals(ImageRow.OK, r.getAs("status"), r.getAs("image_id") + ": " + r.getAs("error_message"));
            String id = r.getAs("image_id");
            DecodedImage in = ImageDecoder.decode(Files.readAllBytes(lr.resolve(id)), id, Long.MAX_VALUE);
            PlanarImage restored = Quantizer.quantize(restorer.restore(ImageRestore.modelInput(in.color(), 3), official), 8);
            Path srFile = sr.resolve(id);
            Files.write(srFile, ImageEncoder.encode(DecodedImage.of(restored, 8, "png"), "png", 95));
            pairs.add(new Path[] {hr.resolve(id.replace("x" + scale + ".png", ".png")), srFile});
        }
        List<BasicsrReference.Metrics> expected = BasicsrReference.metrics(scale, pairs);
        double[] sums = new double[2];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            BasicsrReference.Metrics e = expected.get(i);
            String id = r.getAs("image_id");
            assertEquals(e.psnr(), r.<Double>getAs("psnr"), 1e-6, id + " PSNR");
            assertEquals(e.ssim(), r.<Double>getAs("ssim"), 1e-7, id + " SSIM");
            assertEquals(e.psnrY(), r.<Double>getAs("psnr_y"), 1e-6, id + " Y-PSNR");
            assertEquals(e.ssimY(), r.<Double>getAs("ssim_y"), 1e-7, id + " Y-SSIM");
            sums[0] += e.psnr();
            sums[1] += e.ssimY();
        }
        Row summary = spark.read().parquet(run.summaryTable()).filter("run_id = 'grey" + scale + "'").first();
        assertEquals(sums[0] / rows.size(), summary.<Double>getAs("mean_psnr"), 1e-6, "mean PSNR");
        assertEquals(sums[1] / rows.size(), summary.<Double>getAs("mean_ssim_y"), 1e-7, "mean Y-SSIM");
    }
}
