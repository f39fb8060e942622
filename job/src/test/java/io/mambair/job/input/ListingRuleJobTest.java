package io.mambair.job.input;

import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.testing.SharedData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job lists by the shared rule: a camera's {@code _DSC0001.JPG} is restored, what is left out is counted in the summary. */
class ListingRuleJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = JobTestSupport.localSpark(); }

    @AfterAll
    static void stop() { if (spark != null) spark.stop(); }

    @Test
    void aCameraFileNamedWithAnUnderscoreIsRestoredAndLeftOutFilesAreCounted(@TempDir Path in, @TempDir Path out) throws Exception {
        BufferedImage lr = ImageIO.read(SharedData.require("data/benchmarks/Set5/LR_bicubic/X4").resolve("birdx4.png").toFile());
        assertTrue(ImageIO.write(lr, "jpg", in.resolve("_DSC0001.JPG").toFile()));
        Files.writeString(in.resolve(".DS_Store"), "finder");
        Files.writeString(in.resolve("_SUCCESS"), "");
        Files.writeString(in.resolve("readme.txt"), "not an image name");

        RunSummary run = MambairJob.run(spark, JobTestSupport.options("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                "input.path=\"" + in + "\"", "output.path=\"" + out + "\"", "restore.tile-mode=whole", "restore.device=cpu", "run-id=camera"));

        assertEquals(1, run.counts().inputs(), run.text());
        assertTrue(run.text().contains("inputs 1 = ok 1 + error 0 + skipped 0, not inputs 3: 1 dot-files, 1 job files"), run.text());
        assertTrue(run.text().contains("1 not matching"), run.text());
        List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
        assertEquals(1, rows.size());
        assertEquals("_DSC0001.JPG", rows.get(0).getAs("image_id"));
        assertEquals(ImageRow.OK, rows.get(0).getAs("status"), String.valueOf(rows.get(0).<String>getAs("error_message")));
        Path restored = Path.of(java.net.URI.create(rows.get(0).<String>getAs("output_uri").replaceFirst("^file:/+", "file:///")));
        BufferedImage img = ImageIO.read(restored.toFile());
        assertEquals(lr.getWidth() * 4, img.getWidth());
        assertEquals(lr.getHeight() * 4, img.getHeight());
        assertTrue(restored.startsWith(out), restored.toString());
    }
}
