package io.mambair.job;

import io.mambair.job.output.ImageRow;
import io.mambair.runtime.testing.SharedData;
import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same Set5 x4 benchmark run reading from and writing to s3a:// on an S3Mock server started as a
 * separate process, and hdfs:// on a MiniDFSCluster: every image restored and written there, tables
 * written there, and the bicubic baseline mean unchanged.
 */
@Slow
class RemoteStorageJobTest {
    private static final double SET5_X4_BICUBIC_Y_PSNR = 28.4290;

    private static void upload(FileSystem fs, java.nio.file.Path localDir, String target) throws Exception {
        try (var files = Files.list(localDir)) {
            for (java.nio.file.Path p : files.toList()) {
                try (FSDataOutputStream out = fs.create(new Path(target + "/" + p.getFileName()), true)) {
                    out.write(Files.readAllBytes(p));
                }
            }
        }
    }

    /** Uploads Set5 x4 through the test's own client configuration, then runs the job configured only by its options. */
    private static void runAndCheck(SparkSession spark, String root, Map<String, String> client, List<String> extra) throws Exception {
        java.nio.file.Path set5 = SharedData.require("data/benchmarks/Set5");
        Configuration conf = new Configuration();
        client.forEach(conf::set);
        FileSystem fs = FileSystem.newInstance(new Path(root).toUri(), conf);
        upload(fs, set5.resolve("LR_bicubic/X4"), root + "/lr");
        upload(fs, set5.resolve("HR"), root + "/hr");
        List<String> opts = new java.util.ArrayList<>(List.of("mode=benchmark", "model.path=\"" + JobTestSupport.srModel(4) + "\"",
                "input.path=\"" + root + "/lr\"", "benchmark.reference-path=\"" + root + "/hr\"",
                "output.path=\"" + root + "/out\"", "restore.tile-mode=whole", "restore.device=cpu", "run-id=remote"));
        opts.addAll(extra);
        RunSummary run = MambairJob.run(spark, JobTestSupport.options(opts.toArray(String[]::new)));
        assertEquals(5, run.counts().ok(), run.text());
        assertTrue(run.imagesTable().startsWith(root), run.imagesTable());
        List<Row> rows = spark.read().parquet(run.imagesTable()).collectAsList();
        assertEquals(5, rows.size());
        double mean = rows.stream().mapToDouble(r -> r.<Double>getAs("baseline_psnr_y")).average().orElseThrow();
        assertEquals(SET5_X4_BICUBIC_Y_PSNR, mean, 5e-5);
        for (Row r : rows) {
            assertEquals(ImageRow.OK, r.getAs("status"));
            String output = r.getAs("output_uri");
            assertTrue(output.startsWith(root + "/out/"), output);
            assertTrue(fs.getFileStatus(new Path(output)).getLen() > 0, output);
        }
    }

    @Test
    void runsOnS3aAgainstAnS3CompatibleServerProcess(@TempDir File storeRoot) throws Exception {
        String jar = System.getProperty("mambair.s3mock.jar");
        TestRequirements.require(jar != null && new File(jar).isFile(), "S3Mock jar not fetched (run through Maven)");
        SharedData.require("data/benchmarks/Set5");
        int http = freePort();
        int https = freePort();
        ProcessBuilder pb = new ProcessBuilder(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar, "--server.address=127.0.0.1", "--server.port=" + https, "--http.port=" + http,
                "--com.adobe.testing.s3mock.max-payload-size=256MB")
                .redirectErrorStream(true).redirectOutput(new File(storeRoot, "s3mock.log"));
        pb.environment().putAll(Map.of("COM_ADOBE_TESTING_S3MOCK_STORE_INITIAL_BUCKETS", "bench",
                "COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", new File(storeRoot, "store").getPath()));
        Process s3 = pb.start();
        SparkSession spark = null;
        try {
            waitForPort(http, s3, 120_000);
            spark = SparkSession.builder().master("local[2]").appName("mambair-s3a").config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").getOrCreate();
            runAndCheck(spark, "s3a://bench/job", Map.of("fs.s3a.endpoint", "http://127.0.0.1:" + http,
                    "fs.s3a.path.style.access", "true", "fs.s3a.access.key", "test", "fs.s3a.secret.key", "test",
                    "fs.s3a.connection.ssl.enabled", "false",
                    "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"), List.of(
                    "s3.endpoint=\"http://127.0.0.1:" + http + "\"", "s3.path-style-access=true",
                    "s3.access-key=test", "s3.secret-key=test",
                    "hadoop.\"fs.s3a.connection.ssl.enabled\"=false",
                    "hadoop.\"fs.s3a.aws.credentials.provider\"=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"));
        } finally {
            if (spark != null) spark.stop();
            FileSystem.closeAll();
            s3.destroy();
            s3.waitFor();
        }
    }

    @Test
    void runsOnHdfsOfAMiniDfsCluster(@TempDir File base) throws Exception {
        SharedData.require("data/benchmarks/Set5");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        SparkSession spark = null;
        try {
            cluster.waitActive();
            String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/job";
            spark = SparkSession.builder().master("local[2]").appName("mambair-hdfs").config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").getOrCreate();
            runAndCheck(spark, root, Map.of(), List.of());
        } finally {
            if (spark != null) spark.stop();
            cluster.shutdown();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process p, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (!p.isAlive()) throw new IllegalStateException("S3Mock exited with " + p.exitValue());
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(1000);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("S3Mock did not open port " + port);
    }
}
