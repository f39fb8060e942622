package io.mambair.job.reliability;

import io.mambair.runtime.testing.Slow;
import io.mambair.runtime.testing.TestRequirements;
import io.mambair.job.output.AtomicFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On s3a:// (an S3Mock server process) a file is written with one PUT to its final key: the
 * requests S3A sends to the server include no copy and no rename, and no temporary object is left.
 */
@Slow
class DirectObjectStoreWriteTest {
    @Test
    void outputsOnS3aAreWrittenDirectlyWithoutCopyOrRename(@TempDir File root) throws Exception {
        String jar = System.getProperty("mambair.s3mock.jar");
        TestRequirements.require(jar != null && new File(jar).isFile(), "S3Mock jar not fetched (run through Maven)");
        try (S3MockServer server = new S3MockServer(jar, root, "direct")) {
            server.start();
            Configuration conf = new Configuration();
            conf.set("fs.s3a.endpoint", server.endpoint());
            conf.set("fs.s3a.path.style.access", "true");
            conf.set("fs.s3a.access.key", "test");
            conf.set("fs.s3a.secret.key", "test");
            conf.set("fs.s3a.connection.ssl.enabled", "false");
            conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            // the cached instance: the one AtomicFiles gets for the same bucket, so its counters see every request
            try (FileSystem fs = FileSystem.get(new URI("s3a://direct/"), conf)) {
                assertTrue(AtomicFiles.createIsAtomic(fs));
                long putsBefore = count(fs, "object_put_request");
                for (int i = 0; i < 4; i++) {
                    AtomicFiles.write("s3a://direct/out/img" + i + ".png", ("image " + i).getBytes(StandardCharsets.UTF_8), conf);
                }
                AtomicFiles.write("s3a://direct/out/img0.png", "replaced".getBytes(StandardCharsets.UTF_8), conf);

                assertEquals(0L, count(fs, "object_copy_requests"), "no server-side copy");
                assertEquals(0L, count(fs, "op_rename"), "no rename");
                assertEquals(5L, count(fs, "object_put_request") - putsBefore, "one PUT per write");
                FileStatus[] listed = fs.listStatus(new Path("s3a://direct/out"));
                assertEquals(4, listed.length, Arrays.toString(listed));
                for (FileStatus st : listed) assertTrue(st.getPath().getName().matches("img\\d\\.png"), st.getPath().toString());
                byte[] replaced = new byte[8];
                try (var in = fs.open(new Path("s3a://direct/out/img0.png"))) {
                    in.readFully(replaced);
                }
                assertArrayEquals("replaced".getBytes(StandardCharsets.UTF_8), replaced);

                // the counters do count copies: a rename on S3A is a copy
                fs.rename(new Path("s3a://direct/out/img1.png"), new Path("s3a://direct/out/moved.png"));
                assertTrue(count(fs, "object_copy_requests") >= 1, "a rename is counted as a copy request");
            }
        }
    }

    /** A request counter of S3A's IOStatistics; a counter it does not keep fails the test. */
    private static long count(FileSystem fs, String counter) {
        Long v = IOStatisticsSupport.retrieveIOStatistics(fs).counters().get(counter);
        assertNotNull(v, counter + " not counted by S3A");
        return v;
    }
}
