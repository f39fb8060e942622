package io.mambair.job.platform;

import io.mambair.job.JobTestSupport;
import io.mambair.job.MambairJob;
import io.mambair.runtime.testing.Slow;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the driver inside the cluster (spark.submit.deployMode = cluster, as YARN's application master sets it),
 * the job's main class does not call System.exit on a failed run (which would end this test JVM): it throws the
 * verdict, which the application master turns into a failed final status.
 */
@Slow
class ClusterVerdictJobTest {
    @Test
    void aRunWhoseEveryImageFailsThrowsItsVerdictFromMainInsideTheCluster(@TempDir Path in, @TempDir Path out) throws Exception {
        for (String name : new String[] {"a.png", "b.png"}) Files.write(in.resolve(name), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        String[] args = {"--set", "model.path=\"" + JobTestSupport.srModel(2) + "\"", "--set", "input.path=\"" + in + "\"",
                "--set", "output.path=\"" + out + "\"", "--set", "restore.device=cpu", "--set", "run-id=cluster"};
        System.setProperty("spark.submit.deployMode", "cluster");
        System.setProperty("spark.master", "local[1]");
        System.setProperty("spark.ui.enabled", "false");
        try {
            JobFailedException e = assertThrows(JobFailedException.class, () -> MambairJob.main(args));
            assertEquals(3, e.exitStatus());
            assertTrue(e.getMessage().startsWith("mambair run failed (exit status 3): "), e.getMessage());
            assertTrue(Files.isDirectory(out.resolve("_mambair/images/run_id=cluster")), "the tables were written before the verdict");
        } finally {
            System.clearProperty("spark.submit.deployMode");
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
            SparkSession.getDefaultSession().foreach(s -> { s.stop(); return null; });
        }
    }
}
