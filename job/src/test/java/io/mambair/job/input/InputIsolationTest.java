package io.mambair.job.input;

import io.mambair.job.config.InvalidConfigException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folders a run writes may not be equal to, inside or above the folders it reads, however they are spelled. */
class InputIsolationTest {
    private static final Configuration LOCAL = new Configuration();

    private static String refusal(String input, String output, Configuration conf) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> InputIsolation.require(
                List.of(new InputIsolation.Root("input.path", input)), List.of(new InputIsolation.Root("output.path", output)), conf));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    private static void allowed(String input, String output, Configuration conf) {
        assertDoesNotThrow(() -> InputIsolation.require(List.of(new InputIsolation.Root("input.path", input)),
                List.of(new InputIsolation.Root("output.path", output)), conf));
    }

    @Test
    void localEqualNestedAndEnclosingFoldersAreRefusedWhateverTheSpelling(@TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path in = Files.createDirectories(dir.resolve("in"));
        String problem = refusal(in.toString(), "file://" + in + "/", LOCAL);
        assertTrue(problem.startsWith("output.path file:" + in.toRealPath() + " is input.path file:" + in.toRealPath()), problem);
        assertTrue(refusal(in.toString(), dir.resolve("in/sub/../restored").toString(), LOCAL).contains("is inside input.path"));
        assertTrue(refusal(in.toString(), dir.toString(), LOCAL).contains("contains input.path"));
        allowed(in.toString(), dir.resolve("out").toString(), LOCAL);
        allowed(in.toString(), dir.resolve("in-restored").toString(), LOCAL);
    }

    @Test
    void relativePathsAndSymbolicLinksAreResolvedBeforeComparing(@TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path in = Files.createDirectories(dir.resolve("in"));
        java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("alias"), in);
        assertTrue(refusal(in.toString(), link.toString(), LOCAL).contains(" is input.path "));
        assertTrue(refusal(link.toString(), in.resolve("not/yet/there").toString(), LOCAL).contains("is inside"));
        java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
        String relative = cwd.relativize(in.resolve("out")).toString();
        assertTrue(refusal(in.toString(), relative, LOCAL).contains("is inside"), "relative to " + cwd);
    }

    @Test
    void databricksVolumePathsAreOnePlaceHoweverSpelled() {
        // The job's own settings on Databricks: dbfs:/Volumes/... (the jobs' files) and /Volumes/... (FUSE) alike.
        String in = "dbfs:/Volumes/main/mambair/benchmarks/Set5/LR_bicubic/X2";
        assertEquals("output.path dbfs:/Volumes/main/mambair/benchmarks/Set5/LR_bicubic/X2/out is inside input.path "
                + "dbfs:/Volumes/main/mambair/benchmarks/Set5/LR_bicubic/X2: inputs are never written, so the folders a run writes must lie"
                + " outside the folders it reads", refusal(in, "/Volumes/main/mambair/benchmarks/Set5/LR_bicubic/X2/out", LOCAL));
        assertTrue(refusal("/Volumes/main/mambair/in/", "file:/Volumes/main/mambair/in", LOCAL).contains(" is input.path "));
        assertTrue(refusal("/Volumes/main/mambair/in/a/../b", "dbfs:/Volumes/main/mambair", LOCAL).contains(" contains input.path dbfs:/Volumes/main/mambair/in/b"));
        allowed("dbfs:/Volumes/main/mambair/in", "dbfs:/Volumes/main/mambair/input", LOCAL);
        allowed("/Volumes/main/mambair/in", "dbfs:/Volumes/main/other/in", LOCAL);
    }

    @Test
    void s3SchemesNameTheSameBucket() {
        Configuration conf = new Configuration();
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:9");
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        conf.set("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        assertTrue(refusal("s3a://bucket/in", "s3://bucket/in/restored", conf).contains("is inside"));
        assertTrue(refusal("s3a://bucket/in/", "s3a://bucket/in", conf).contains(" is input.path "));
        allowed("s3a://bucket/in", "s3a://other/in", conf);
        allowed("s3a://bucket/in", "s3a://bucket/input", conf);
    }

    @Test
    void hdfsPathsWithAndWithoutAuthorityOrLinksAreTheSameFolder(@TempDir File base) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            Configuration client = new Configuration(cluster.getConfiguration(0));
            FileSystem fs = cluster.getFileSystem();
            String root = "hdfs://localhost:" + cluster.getNameNodePort();
            fs.mkdirs(new Path("/data/in"));
            assertTrue(refusal(root + "/data/in", "/data/in/out", client).contains("is inside input.path " + root + "/data/in"));
            assertTrue(refusal("/data/in", root + "/data/./in", client).contains(" is input.path "));
            allowed(root + "/data/in", root + "/data/out", client);
            FileSystem.enableSymlinks();
            fs.createSymlink(new Path("/data/in"), new Path("/data/alias"), false);
            assertTrue(refusal(root + "/data/in", root + "/data/alias/restored", client).contains("is inside"));
        } finally {
            cluster.shutdown();
        }
    }
}
