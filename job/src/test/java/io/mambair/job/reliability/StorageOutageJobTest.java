package io.mambair.job.reliability;

import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.job.RunSummary;
import io.mambair.job.output.AtomicFiles;
import io.mambair.job.output.ImageRow;
import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.udfs.codec.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3-compatible server (S3Mock, its own process) is stopped while the job restores from and
 * writes to it. With s3a retries limited through the job's {@code hadoop {}} keys the run fails
 * with an error naming the storage operation (never error rows for the images); after the server
 * is back, a rerun completes: one row per image, every object whole, no temporary object left.
 */
@Slow
class StorageOutageJobTest {
    private static final int IMAGES = 8;
    private static final String BUCKET = "outage";

    @Test
    void aStorageOutageMidRunFailsClearlyWithinTheRetryLimitsAndARerunCompletes(@TempDir File storeRoot) throws Exception {
        String jar = System.getProperty("mambair.s3mock.jar");
        TestRequirements.require(jar != null && new File(jar).isFile(), "S3Mock jar not fetched (run through Maven)");
        String root = "s3a://" + BUCKET + "/job";
        try (S3MockServer server = new S3MockServer(jar, storeRoot, BUCKET)) {
            server.start();
            Map<String, String> client = Map.of("fs.s3a.endpoint", server.endpoint(), "fs.s3a.path.style.access", "true",
                    "fs.s3a.access.key", "test", "fs.s3a.secret.key", "test", "fs.s3a.connection.ssl.enabled", "false",
                    "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            Configuration conf = new Configuration();
            client.forEach(conf::set);
            try (FileSystem fs = FileSystem.newInstance(new Path(root).toUri(), conf)) {
                for (int i = 0; i < IMAGES; i++) {
                    try (FSDataOutputStream out = fs.create(new Path(root + "/in/img" + i + ".png"))) {
                        out.write(TestImages.encode(TestImages.rgb(24, 24, i), "png"));
                    }
                }
            }
            List<String> options = new ArrayList<>(List.of("model.path=\"" + JobTestSupport.srModel(4) + "\"",
                    "input.path=\"" + root + "/in\"", "output.path=\"" + root + "/out\"", "restore.tile-mode=whole",
                    "restore.device=cpu", "partitions=2"));
            client.forEach((k, v) -> options.add("hadoop.\"" + k + "\"=\"" + v + "\""));

            SparkSession spark = JobTestSupport.localSpark();
            try {
                // Run 1: the server stops when the restore stage opens img5.png; s3a gives up after its limited retries.
                List<String> limited = new ArrayList<>(options);
                limited.addAll(List.of("run-id=outage", "hadoop.\"fs.s3a.impl\"=" + OutageS3AFileSystem.class.getName(),
                        "hadoop.\"outage.on-restore-read\"=img5.png", "hadoop.\"fs.s3a.attempts.maximum\"=1",
                        "hadoop.\"fs.s3a.retry.limit\"=2", "hadoop.\"fs.s3a.retry.interval\"=\"200ms\"",
                        "hadoop.\"fs.s3a.connection.establish.timeout\"=2000", "hadoop.\"fs.s3a.connection.timeout\"=5000"));
                OutageS3AFileSystem.onRestoreRead(() -> {
                    try {
                        server.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Exception failure = assertThrows(Exception.class, () -> MambairJob.run(spark, JobTestSupport.options(limited.toArray(String[]::new))));
                String message = String.valueOf(failure.getMessage());
                assertTrue(message.contains("StorageFailure") && message.contains(root), "the failure names the storage operation: " + message);
                FileSystem.closeAll();

                // Run 2: the server is back with its data; the rerun finishes what is missing.
                server.start();
                List<String> rerun = new ArrayList<>(options);
                rerun.add("run-id=rerun");
                RunSummary run = MambairJob.run(spark, JobTestSupport.options(rerun.toArray(String[]::new)));
                assertEquals(IMAGES, run.counts().ok() + run.counts().skipped(), run.text());
                assertEquals(0, run.counts().error(), run.text());
                assertTrue(run.counts().ok() >= 1, "img5.png (never read in run 1) is done by the rerun: " + run.text());
                List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
                assertEquals(IMAGES, rows.size(), "one row per image");
                assertEquals(IMAGES, rows.stream().map(r -> r.<String>getAs("image_id")).distinct().count());
                for (Row r : rows) assertEquals(ImageRow.OK, r.getAs("status"), r.toString());
            } finally {
                spark.stop();
                FileSystem.closeAll();
            }
            try (FileSystem fs = FileSystem.newInstance(new Path(root).toUri(), conf)) {
                int outputs = 0;
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(root + "/out"), true);
                while (it.hasNext()) {
                    Path p = it.next().getPath();
                    assertTrue(!AtomicFiles.isTemporary(p.getName()), "temporary object left: " + p);
                    if (p.getParent().getName().equals("out")) {
                        try (FSDataInputStream in = fs.open(p)) {
                            assertEquals(96, ImageDecoder.decode(in.readAllBytes(), p.toString(), Long.MAX_VALUE).width(), "whole object " + p);
                        }
                        outputs++;
                    }
                }
                assertEquals(IMAGES, outputs, "one output object per image");
            }
        }
    }
}
